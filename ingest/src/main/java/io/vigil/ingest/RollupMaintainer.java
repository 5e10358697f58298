package io.vigil.ingest;

import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.vigil.model.SeriesBuckets;

/**
 * Keeps the rollup tables (see {@link Rollups}): recomputes the buckets of the ranges that writes
 * left in {@code rollup_pending}, once the buckets are over (so the current minute is not redone at
 * every run; readers compute it from raw points meanwhile), and, once an hour, deletes buckets
 * older than the rollup's retention. Maintainers in several ingest processes take turns per rollup table under an
 * advisory lock, since two of them rewriting the same buckets at once would collide.
 */
public final class RollupMaintainer implements Runnable {

    private static final Logger LOG = Logger.getLogger(RollupMaintainer.class);
    /** Pending rows handled per transaction, so that a backlog is worked off in bounded steps. */
    static final int PENDING_PER_RUN = 5_000;
    /** How long the change log is kept; a reader that has not caught up for half of it starts over. */
    static final Duration CHANGES_KEPT = Duration.ofHours(1);
    /** Retention runs at most this often: a day's worth of old buckets goes in a few deletes, not one per run. */
    static final Duration EXPIRE_EVERY = Duration.ofHours(1);

    private final DataSource dataSource;
    private final StoreSettings settings;
    private final Clock clock;
    private Instant lastExpiry;

    public RollupMaintainer(DataSource dataSource, StoreSettings settings, Clock clock) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.clock = clock;
    }

    /** What one run did: pending ranges taken, buckets written, expired buckets deleted. */
    public record Run(int pendingTaken, long bucketsWritten, long bucketsExpired) {
    }

    public synchronized Run runOnce() throws SQLException {
        int taken = 0;
        long written = 0;
        long expired = 0;
        boolean expire = lastExpiry == null || !clock.instant().isBefore(lastExpiry.plus(EXPIRE_EVERY));
        try (Connection c = dataSource.getConnection()) {
            for (Rollups rollup : Rollups.values()) {
                while (true) {
                    var step = Tx.run(c, tx -> recompute(tx, rollup));
                    taken += step[0];
                    written += step[1];
                    if (step[0] < PENDING_PER_RUN) {
                        break;
                    }
                }
                if (expire) {
                    expired += Tx.run(c, tx -> expire(tx, rollup));
                }
            }
        }
        if (expire) {
            lastExpiry = clock.instant();
        }
        return new Run(taken, written, expired);
    }

    /** Takes the pending ranges whose buckets are over, recomputes those buckets; returns {taken, written}. */
    private long[] recompute(Connection tx, Rollups rollup) throws SQLException {
        AdvisoryLocks.lockRollups(tx, rollup);
        long w = rollup.widthMillis();
        // A range whose last bucket ends in the future is left for a later run.
        Instant over = Instant.ofEpochMilli(Math.floorDiv(clock.millis(), w) * w);
        var ids = new ArrayList<Long>();
        var spans = new ArrayList<long[]>();
        try (var st = tx.prepareStatement("SELECT id, from_time, to_time FROM " + Rollups.PENDING_TABLE
                + " WHERE width_seconds = ? AND to_time <= ? ORDER BY from_time LIMIT " + PENDING_PER_RUN)) {
            st.setInt(1, (int) rollup.width().toSeconds());
            st.setObject(2, OffsetDateTime.ofInstant(over, ZoneOffset.UTC));
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                    long from = rs.getObject(2, OffsetDateTime.class).toInstant().toEpochMilli();
                    long to = rs.getObject(3, OffsetDateTime.class).toInstant().toEpochMilli();
                    spans.add(new long[]{SeriesBuckets.bucketEnd(from, w), SeriesBuckets.bucketEnd(to, w)});
                }
            }
        }
        if (ids.isEmpty()) {
            return new long[]{0, 0};
        }
        long written = 0;
        for (long[] span : merge(spans, w)) {
            written += recomputeBuckets(tx, rollup, span[0], span[1]);
            logChange(tx, rollup, Instant.ofEpochMilli(span[0]), Instant.ofEpochMilli(span[1]));
        }
        try (var st = tx.prepareStatement("DELETE FROM " + Rollups.PENDING_TABLE + " WHERE id = ANY(?)")) {
            st.setArray(1, tx.createArrayOf("int8", ids.toArray(Long[]::new)));
            st.executeUpdate();
        }
        return new long[]{ids.size(), written};
    }

    /** Bucket-end spans sorted by start, with overlapping and adjacent ones joined. */
    static List<long[]> merge(List<long[]> spans, long width) {
        spans.sort((a, b) -> Long.compare(a[0], b[0]));
        var out = new ArrayList<long[]>();
        for (long[] s : spans) {
            if (!out.isEmpty() && s[0] <= out.getLast()[1] + width) {
                out.getLast()[1] = Math.max(out.getLast()[1], s[1]);
            } else {
                out.add(new long[]{s[0], s[1]});
            }
        }
        return out;
    }

    /** Replaces the buckets ending in {@code [firstEnd, lastEnd]} with ones computed from the raw points. */
    static long recomputeBuckets(Connection tx, Rollups rollup, long firstEnd, long lastEnd) throws SQLException {
        var first = OffsetDateTime.ofInstant(Instant.ofEpochMilli(firstEnd), ZoneOffset.UTC);
        var last = OffsetDateTime.ofInstant(Instant.ofEpochMilli(lastEnd), ZoneOffset.UTC);
        try (var st = tx.prepareStatement(rollup.clearSql())) {
            st.setObject(1, first);
            st.setObject(2, last);
            st.executeUpdate();
        }
        try (var st = tx.prepareStatement(rollup.recomputeSql())) {
            st.setObject(1, OffsetDateTime.ofInstant(Instant.ofEpochMilli(firstEnd - rollup.widthMillis()), ZoneOffset.UTC));
            st.setObject(2, last);
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new SQLException("recomputing " + rollup.table() + " buckets " + first + " to " + last + " failed: "
                    + e.getMessage(), e.getSQLState(), e);
        }
    }

    private long expire(Connection tx, Rollups rollup) throws SQLException {
        AdvisoryLocks.lockRollups(tx, rollup);
        Instant cutoff = clock.instant().minus(settings.rollupRetention(rollup));
        long deleted;
        try (var st = tx.prepareStatement("DELETE FROM " + rollup.table() + " WHERE bucket < ?")) {
            st.setObject(1, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
            deleted = st.executeUpdate();
        }
        if (deleted > 0) {
            logChange(tx, rollup, Instant.EPOCH, cutoff);
        }
        // The database's clock, as logged_at's: readers measure their own lag against their clock, well inside this.
        try (var st = tx.prepareStatement("DELETE FROM " + Rollups.CHANGES_TABLE + " WHERE logged_at < now() - make_interval(secs => ?)")) {
            st.setLong(1, CHANGES_KEPT.toSeconds());
            st.executeUpdate();
        }
        return deleted;
    }

    /**
     * Records that the buckets ending in {@code [from, to]} changed, under the width's lock: ids
     * then follow commit order, which is what lets a reader catch up by id (see {@link FinishedBuckets}).
     */
    private static void logChange(Connection tx, Rollups rollup, Instant from, Instant to) throws SQLException {
        try (var st = tx.prepareStatement("INSERT INTO " + Rollups.CHANGES_TABLE
                + " (width_seconds, from_end, to_end) VALUES (?, ?, ?)")) {
            st.setInt(1, (int) rollup.width().toSeconds());
            st.setObject(2, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            st.setObject(3, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            st.executeUpdate();
        }
    }

    /** For a scheduler: never throws, so one failed run does not cancel the next ones. */
    @Override
    public void run() {
        try {
            var run = runOnce();
            if (run.bucketsExpired() > 0) {
                LOG.infof("rollup retention deleted %d buckets", run.bucketsExpired());
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("rollup upkeep failed, will try again at the next interval (pending ranges stay pending): %s", e.getMessage());
        }
    }
}
