package io.vigil.ingest;

import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;
import org.apache.kafka.common.TopicPartition;
import org.postgresql.PGConnection;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes consumed sample batches into the store, exactly once per Kafka record: the points (by
 * binary COPY), any new series, and the partitions' next offsets go in one transaction, and
 * records below a partition's stored offset are skipped. A batch redelivered after a crash
 * between this commit and Kafka's offset commit is therefore recognised and not written twice.
 */
public final class SampleWriter {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(SampleWriter.class);

    private final DataSource dataSource;
    private final StoreLayout layout;
    private final OffsetStore offsets;
    /**
     * Points stamped further ahead are refused (counted with the expired ones): a target host with
     * a wrong clock would otherwise create partitions years ahead that retention never drops.
     */
    static final Duration MAX_AHEAD = Duration.ofHours(1);

    /** Targets already reported for a clock ahead: once per target, not once per scrape. */
    private final Set<String> clockWarned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Duration retention;
    private final Clock clock;
    private final SeriesDictionary series = new SeriesDictionary();
    private final CardinalityGuard guard;

    public SampleWriter(DataSource dataSource, StoreLayout layout, OffsetStore offsets, Duration retention, SeriesLimits limits,
                        Clock clock) {
        this.dataSource = dataSource;
        this.layout = layout;
        this.offsets = offsets;
        this.retention = retention;
        this.clock = clock;
        this.guard = new CardinalityGuard(limits, clock);
    }

    /** Without series limits. */
    public SampleWriter(DataSource dataSource, StoreLayout layout, OffsetStore offsets, Duration retention, Clock clock) {
        this(dataSource, layout, offsets, retention, SeriesLimits.NONE, clock);
    }

    /** Without series limits. */
    public SampleWriter(DataSource dataSource, StoreLayout layout, OffsetStore offsets, Duration retention) {
        this(dataSource, layout, offsets, retention, Clock.systemUTC());
    }

    public OffsetStore offsets() {
        return offsets;
    }

    /** Writes {@code batches} and moves each of their partitions past its last batch. */
    public WriteResult write(List<ConsumedBatch> batches) throws SQLException {
        return write(batches, Map.of());
    }

    /**
     * Writes {@code batches} (in Kafka order within each partition) and moves each partition's
     * stored offset to {@code consumedUpTo} or past its last batch, whichever is further:
     * {@code consumedUpTo} covers records that were consumed but yielded no batch (undecodable),
     * which must not be read again either.
     *
     * @throws SQLException when the database fails; nothing was written and the call may be repeated
     */
    public WriteResult write(List<ConsumedBatch> batches, Map<TopicPartition, Long> consumedUpTo) throws SQLException {
        var next = new HashMap<>(consumedUpTo);
        for (ConsumedBatch b : batches) {
            next.merge(b.topicPartition(), b.offset() + 1, Math::max);
        }
        if (next.isEmpty()) {
            return WriteResult.NOTHING;
        }
        long cutoffMillis = clock.instant().minus(retention).toEpochMilli();
        long futureMillis = clock.instant().plus(MAX_AHEAD).toEpochMilli();
        var days = new HashSet<LocalDate>();
        for (ConsumedBatch b : batches) {
            if (inRange(b, cutoffMillis, futureMillis) && !b.batch().samples().isEmpty()) {
                days.add(LocalDate.ofInstant(Instant.ofEpochMilli(b.batch().timestampMillis()), ZoneOffset.UTC));
            }
        }
        try (Connection c = dataSource.getConnection()) {
            try {
                // Partitions first, in their own short transaction: creating one locks the parent table,
                // which should not be held for the whole COPY.
                layout.ensureDays(c, days);
                Outcome outcome = Tx.run(c, tx -> writeInTransaction(tx, batches, next, cutoffMillis, futureMillis));
                outcome.learned().forEach(l -> series.remember(l.targetLabels(), l.sample(), l.id()));
                guard.created(outcome.createdByTarget());
                return outcome.result();
            } catch (SQLException | RuntimeException e) {
                // The failure may come from a partition dropped by retention elsewhere; look again next time.
                layout.forgetCachedState();
                guard.forget();
                throw e;
            }
        }
    }

    /** Series ids not yet cached, by the target labels and sample key they arrived with: cached after the commit. */
    private record Learned(Labels targetLabels, SeriesDictionary.SampleKey sample, long id) {
    }

    private record Outcome(WriteResult result, List<Learned> learned, Map<String, Integer> createdByTarget) {
    }

    /** Ids are bigserial, so never negative: these two mark points whose id is not known yet, or refused. */
    private static final long UNRESOLVED = -1;
    private static final long REFUSED = -2;

    private static boolean inRange(ConsumedBatch b, long cutoffMillis, long futureMillis) {
        long t = b.batch().timestampMillis();
        return t >= cutoffMillis && t <= futureMillis;
    }

    private Outcome writeInTransaction(Connection tx, List<ConsumedBatch> batches, Map<TopicPartition, Long> next,
                                       long cutoffMillis, long futureMillis) throws SQLException {
        Map<TopicPartition, Long> expected = new HashMap<>(offsets.lockAndLoad(tx, next.keySet()));
        var fresh = new ArrayList<ConsumedBatch>(batches.size());
        int skipped = 0;
        long expired = 0;
        for (ConsumedBatch b : batches) {
            TopicPartition tp = b.topicPartition();
            if (b.offset() < expected.getOrDefault(tp, Long.MIN_VALUE)) {
                skipped++;
                continue;
            }
            expected.put(tp, b.offset() + 1);
            if (!inRange(b, cutoffMillis, futureMillis)) {
                expired += b.batch().samples().size();
                if (b.batch().timestampMillis() > futureMillis && clockWarned.add(b.batch().targetId())) {
                    LOG.warnf("dropped %d points of target %s stamped %s, more than %s ahead of this clock (check its clock; reported once per target)",
                            b.batch().samples().size(), b.batch().targetId(), Instant.ofEpochMilli(b.batch().timestampMillis()), MAX_AHEAD);
                }
            } else if (!b.batch().samples().isEmpty()) {
                fresh.add(b);
            }
        }

        // Ids from the cache where possible; the rest are resolved (and maybe created) together.
        var idsPerBatch = new ArrayList<long[]>(fresh.size());
        Map<SeriesKey, String> missing = new HashMap<>();
        for (ConsumedBatch b : fresh) {
            SampleBatch batch = b.batch();
            Map<SeriesDictionary.SampleKey, Long> cached = series.cached(batch.labels());
            var ids = new long[batch.samples().size()];
            for (int i = 0; i < ids.length; i++) {
                Sample s = batch.samples().get(i);
                Long id = cached == null ? null : cached.get(new SeriesDictionary.SampleKey(s.metric(), s.labels()));
                if (id != null) {
                    ids[i] = id;
                } else {
                    ids[i] = UNRESOLVED;
                    missing.putIfAbsent(new SeriesKey(s.metric(), batch.seriesLabels(s)), batch.targetId());
                }
            }
            idsPerBatch.add(ids);
        }
        var resolved = series.resolve(tx, missing, guard);
        var learned = new ArrayList<Learned>();
        long refusedPoints = 0;
        for (int j = 0; j < fresh.size(); j++) {
            SampleBatch batch = fresh.get(j).batch();
            long[] ids = idsPerBatch.get(j);
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] == UNRESOLVED) {
                    Sample s = batch.samples().get(i);
                    Long id = resolved.ids().get(new SeriesKey(s.metric(), batch.seriesLabels(s)));
                    if (id == null) {
                        ids[i] = REFUSED; // a new series the cardinality guard refused
                        refusedPoints++;
                    } else {
                        ids[i] = id;
                        learned.add(new Learned(batch.labels(), new SeriesDictionary.SampleKey(s.metric(), s.labels()), id));
                    }
                }
            }
        }

        long points = 0;
        if (!fresh.isEmpty()) {
            markRollupsPending(tx, fresh);
            var copyApi = tx.unwrap(PGConnection.class).getCopyAPI();
            try (var copy = new PgCopyBinary(copyApi.copyIn(PgCopyBinary.SQL))) {
                for (int j = 0; j < fresh.size(); j++) {
                    SampleBatch batch = fresh.get(j).batch();
                    long micros = PgCopyBinary.toPgMicros(batch.timestampMillis());
                    long[] ids = idsPerBatch.get(j);
                    for (int i = 0; i < ids.length; i++) {
                        if (ids[i] != REFUSED) {
                            copy.row(micros, ids[i], batch.samples().get(i).value());
                        }
                    }
                }
                points = copy.finish();
            } catch (SQLException e) {
                throw new SQLException("COPY of " + fresh.size() + " batches into samples failed (" + describe(fresh) + "): "
                        + e.getMessage(), e.getSQLState(), e);
            }
        }
        offsets.advance(tx, next);
        var result = new WriteResult(fresh.size(), points, skipped, expired, resolved.created(), resolved.refused(), refusedPoints);
        return new Outcome(result, learned, resolved.createdByTarget());
    }

    /** Records the time range of these points as pending for every rollup, in the same transaction as the points. */
    private static void markRollupsPending(Connection tx, List<ConsumedBatch> fresh) throws SQLException {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (ConsumedBatch b : fresh) {
            min = Math.min(min, b.batch().timestampMillis());
            max = Math.max(max, b.batch().timestampMillis());
        }
        var from = java.time.OffsetDateTime.ofInstant(Instant.ofEpochMilli(min), ZoneOffset.UTC);
        var to = java.time.OffsetDateTime.ofInstant(Instant.ofEpochMilli(max), ZoneOffset.UTC);
        try (var st = tx.prepareStatement("INSERT INTO " + Rollups.PENDING_TABLE + " (width_seconds, from_time, to_time) VALUES (?, ?, ?)")) {
            for (Rollups r : Rollups.values()) {
                st.setInt(1, (int) r.width().toSeconds());
                st.setObject(2, from);
                st.setObject(3, to);
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    /** The Kafka range of the batches, e.g. "vigil.samples/0@17..42, vigil.samples/3@5..9". */
    private static String describe(List<ConsumedBatch> batches) {
        var ranges = new TreeMap<String, long[]>();
        for (ConsumedBatch b : batches) {
            ranges.merge(b.topic() + '/' + b.partition(), new long[]{b.offset(), b.offset()},
                    (a, n) -> new long[]{Math.min(a[0], n[0]), Math.max(a[1], n[1])});
        }
        var sb = new StringBuilder();
        ranges.forEach((tp, r) -> sb.append(sb.isEmpty() ? "" : ", ").append(tp).append('@').append(r[0]).append("..").append(r[1]));
        return sb.toString();
    }
}
