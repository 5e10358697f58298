package io.vigil.ingest;

import io.vigil.model.SeriesBuckets;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Stored rollup buckets kept in memory by block (an hour of 1-minute buckets, a day of 1-hour
 * ones) and series, between reads: a dashboard reads the same day again at every refresh, and all
 * of it but the newest hour is unchanged.
 *
 * <p>Why a block is never stale: stored buckets change only through {@link RollupMaintainer},
 * which logs every change in {@code rollup_changes} under the width's advisory lock, so ids follow
 * commit order. A read first catches up, in its own snapshot, on the changes logged since the
 * cache's last id and drops the blocks they touch; a read whose snapshot is behind the cache uses
 * and adds nothing. A block is added with the id its read caught up to, and refused if the cache
 * has moved on since. After half the time the log is kept without a read, the cache starts over.
 */
final class FinishedBuckets {

    /** Blocks that ended this recently still take late points; keeping them would mostly churn. */
    static final long FRESH_MILLIS = 5 * 60_000L;
    private static final long RESTART_AFTER_MILLIS = RollupMaintainer.CHANGES_KEPT.dividedBy(2).toMillis();

    /** One series' buckets of one block, with the parts that were read (see {@link SeriesBuckets.Field}). */
    record Block(SeriesBuckets buckets, Set<SeriesBuckets.Field> fields) {
    }

    /** A read's use of the cache: the change id it caught up to. */
    record View(FinishedBuckets cache, Rollups rollup, long changeId) {
    }

    private static final class State {
        long changeId = -1;
        long syncedAtMillis;
        long buckets;
        final TreeMap<Long, Map<Long, Block>> byBlock = new TreeMap<>();

        void clear() {
            byBlock.clear();
            buckets = 0;
        }
    }

    private final long maxBuckets;
    private final Clock clock;
    private final Map<Rollups, State> states = new EnumMap<>(Rollups.class);

    FinishedBuckets(long maxBuckets, Clock clock) {
        this.maxBuckets = maxBuckets;
        this.clock = clock;
        for (Rollups r : Rollups.values()) {
            states.put(r, new State());
        }
    }

    static long blockMillis(Rollups rollup) {
        return rollup == Rollups.MINUTE ? Duration.ofHours(1).toMillis() : Duration.ofDays(1).toMillis();
    }

    /** Block {@code k} holds the buckets ending in {@code (k * span, (k + 1) * span]}. */
    static long blockOf(long bucketEnd, long span) {
        return Math.floorDiv(bucketEnd - 1, span);
    }

    /**
     * Catches up on the changes the transaction's snapshot shows; null when that snapshot is older
     * than what the cache already holds.
     */
    synchronized View open(Connection tx, Rollups rollup) throws SQLException {
        State st = states.get(rollup);
        long now = clock.millis();
        long last = lastChangeId(tx, rollup);
        if (st.changeId < 0 || now - st.syncedAtMillis > RESTART_AFTER_MILLIS) {
            st.clear();
        } else if (last < st.changeId) {
            return null;
        } else if (last > st.changeId) {
            dropChanged(tx, rollup, st);
        }
        st.changeId = last;
        st.syncedAtMillis = now;
        return new View(this, rollup, last);
    }

    synchronized long size(Rollups rollup) {
        return states.get(rollup).buckets;
    }

    /** Whether a block ending at {@code blockEnd} is old enough to keep. */
    boolean settled(long blockEnd) {
        return blockEnd <= clock.millis() - FRESH_MILLIS;
    }

    synchronized Block get(View view, long seriesId, long block) {
        Map<Long, Block> series = states.get(view.rollup()).byBlock.get(block);
        return series == null ? null : series.get(seriesId);
    }

    /** Keeps a block read under {@code view}, unless the cache has caught up on newer changes since. */
    synchronized void put(View view, long seriesId, long block, Block b) {
        State st = states.get(view.rollup());
        if (st.changeId != view.changeId() || maxBuckets <= 0) {
            return;
        }
        Block old = st.byBlock.computeIfAbsent(block, k -> new HashMap<>()).put(seriesId, b);
        st.buckets += b.buckets().size() - (old == null ? 0 : old.buckets().size());
        // Over budget, the oldest time goes first: dashboards read the recent past.
        while (st.buckets > maxBuckets && !st.byBlock.isEmpty()) {
            for (Block dropped : st.byBlock.pollFirstEntry().getValue().values()) {
                st.buckets -= dropped.buckets().size();
            }
        }
    }

    private static long lastChangeId(Connection tx, Rollups rollup) throws SQLException {
        try (var st = tx.prepareStatement("SELECT coalesce(max(id), 0) FROM " + Rollups.CHANGES_TABLE + " WHERE width_seconds = ?")) {
            st.setInt(1, (int) rollup.width().toSeconds());
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void dropChanged(Connection tx, Rollups rollup, State st) throws SQLException {
        long span = blockMillis(rollup);
        try (var ps = tx.prepareStatement("SELECT (extract(epoch FROM from_end) * 1000)::int8, (extract(epoch FROM to_end) * 1000)::int8"
                + " FROM " + Rollups.CHANGES_TABLE + " WHERE width_seconds = ? AND id > ?")) {
            ps.setInt(1, (int) rollup.width().toSeconds());
            ps.setLong(2, st.changeId);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    var touched = st.byBlock.subMap(blockOf(rs.getLong(1), span), true, blockOf(rs.getLong(2), span), true);
                    touched.values().forEach(series -> series.values().forEach(b -> st.buckets -= b.buckets().size()));
                    touched.clear();
                }
            }
        }
    }
}
