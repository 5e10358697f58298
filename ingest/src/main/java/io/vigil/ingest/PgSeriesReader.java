package io.vigil.ingest;

import io.vigil.model.SeriesReader;
import io.vigil.model.SeriesBuckets;
import io.vigil.model.SeriesPoints;
import io.vigil.model.LabelMatcher;
import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link SeriesReader} over the PostgreSQL store, identical for both layouts. The series
 * dictionary is filtered with {@link LabelMatcher#matches(Labels)} in Java, so matching has exactly
 * Prometheus' semantics (anchored Java regexes, absent label = empty string). Equalities are also
 * pushed down to SQL to fetch fewer rows: on the metric name (indexed through the unique key) and
 * on other labels as one {@code labels @> '{…}'} containment; the Java filter stays the authority.
 */
@ApplicationScoped
public class PgSeriesReader implements SeriesReader {

    private final DataSource dataSource;
    /** Finished rollup blocks kept between reads; null when none are kept. */
    private final FinishedBuckets finished;

    /**
     * @param cachedBuckets how many stored rollup buckets to keep in memory between reads (about 100
     *                      bytes each); 0 keeps none
     */
    @Inject
    public PgSeriesReader(DataSource dataSource,
                          @ConfigProperty(name = "vigil.query.rollup-cache-buckets", defaultValue = "1000000") long cachedBuckets) {
        this.dataSource = dataSource;
        this.finished = cachedBuckets > 0 ? new FinishedBuckets(cachedBuckets, Clock.systemUTC()) : null;
    }

    /** A reader that keeps no rollup buckets between reads. */
    public PgSeriesReader(DataSource dataSource) {
        this(dataSource, 0);
    }

    /** How many buckets of the rollup are kept in memory now. */
    long cachedBuckets(Rollups rollup) {
        return finished == null ? 0 : finished.size(rollup);
    }

    @Override
    public List<SeriesPoints> read(List<LabelMatcher> matchers, long startMillis, long endMillis) {
        if (matchers.stream().allMatch(LabelMatcher::matchesEmpty)) {
            throw new IllegalArgumentException("vector selector must contain at least one non-empty matcher: " + matchers);
        }
        if (endMillis < startMillis) {
            return List.of();
        }
        try (Connection c = dataSource.getConnection()) {
            Map<Long, Labels> selected = selectSeries(c, matchers, UNBOUNDED_START, UNBOUNDED_END);
            if (selected.isEmpty()) {
                return List.of();
            }
            List<SeriesPoints> result = readPoints(c, selected, startMillis, endMillis);
            // Prometheus returns series ordered by their labels; so do we, for stable output.
            result.sort(Comparator.comparing(p -> p.labels().toString()));
            return result;
        } catch (SQLException e) {
            throw new StoreException("reading series " + matchers + " between " + Instant.ofEpochMilli(startMillis)
                    + " and " + Instant.ofEpochMilli(endMillis) + " failed", e);
        }
    }

    /**
     * Stored rollup rows, except in the span that writes left pending (see {@link Rollups}), which is
     * computed here from the raw points; all in one snapshot, so a maintainer finishing meanwhile
     * cannot make a bucket count twice or not at all.
     */
    @Override
    public Optional<List<SeriesBuckets>> readBuckets(List<LabelMatcher> matchers, long widthMillis, long firstEndMillis,
                                                     long lastEndMillis) {
        return readBuckets(matchers, widthMillis, firstEndMillis, lastEndMillis, SeriesBuckets.ALL_FIELDS);
    }

    /** Stored rows carry only the columns of {@code fields}: PostgreSQL's cost of sending a row grows with each column. */
    @Override
    public Optional<List<SeriesBuckets>> readBuckets(List<LabelMatcher> matchers, long widthMillis, long firstEndMillis,
                                                     long lastEndMillis, Set<SeriesBuckets.Field> fields) {
        if (!SeriesReader.ROLLUP_WIDTHS_MILLIS.contains(widthMillis)) {
            return Optional.empty();
        }
        if (matchers.stream().allMatch(LabelMatcher::matchesEmpty)) {
            throw new IllegalArgumentException("vector selector must contain at least one non-empty matcher: " + matchers);
        }
        Rollups rollup = Rollups.ofWidth(widthMillis);
        if (lastEndMillis < firstEndMillis) {
            return Optional.of(List.of());
        }
        try (Connection c = dataSource.getConnection()) {
            Map<Long, Labels> selected = selectSeries(c, matchers, UNBOUNDED_START, UNBOUNDED_END);
            if (selected.isEmpty()) {
                return Optional.of(List.of());
            }
            var builders = new LinkedHashMap<Long, SeriesBuckets.Builder>();
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (var st = c.createStatement()) {
                    st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
                }
                // With a cache, reads start at the beginning of the first block, so that whole blocks can be kept.
                long span = FinishedBuckets.blockMillis(rollup);
                long readFrom = finished == null ? firstEndMillis : FinishedBuckets.blockOf(firstEndMillis, span) * span + widthMillis;
                long[] pending = pendingSpan(c, rollup, readFrom, lastEndMillis);
                FinishedBuckets.View view = finished == null ? null : finished.open(c, rollup);
                Map<Long, Long> covered = view == null ? Map.of()
                        : fromCache(view, fields, selected, readFrom, lastEndMillis, pending, builders);
                long storedFrom = selected.keySet().stream().mapToLong(id -> covered.getOrDefault(id, readFrom - widthMillis))
                        .min().orElse(readFrom - widthMillis) + widthMillis;
                if (pending == null) {
                    readStored(c, rollup, fields, selected, covered, storedFrom, lastEndMillis, builders);
                } else {
                    readStored(c, rollup, fields, selected, covered, storedFrom, pending[0] - widthMillis, builders);
                    // The pending buckets' points are in (first end - width, last end].
                    streamPoints(c, selected, pending[0] - widthMillis + 1, pending[1], (id, t, v) ->
                            builders.computeIfAbsent(id, k -> new SeriesBuckets.Builder(selected.get(k), widthMillis)).add(t, v));
                    readStored(c, rollup, fields, selected, covered, pending[1] + widthMillis, lastEndMillis, builders);
                }
                c.commit();
                var result = new ArrayList<SeriesBuckets>(builders.size());
                builders.forEach((id, b) -> {
                    SeriesBuckets all = b.build();
                    if (view != null) {
                        keep(view, fields, id, all, covered.getOrDefault(id, readFrom - widthMillis), lastEndMillis, pending);
                    }
                    SeriesBuckets asked = all.between(firstEndMillis, lastEndMillis);
                    if (asked.size() > 0) {
                        result.add(asked);
                    }
                });
                result.sort(Comparator.comparing(b -> b.labels().toString()));
                return Optional.of(result);
            } finally {
                Tx.rollbackQuietly(c);
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StoreException("reading " + rollup.table() + " of " + matchers + " between "
                    + Instant.ofEpochMilli(firstEndMillis) + " and " + Instant.ofEpochMilli(lastEndMillis) + " failed", e);
        }
    }

    /**
     * Starts each series' builder with its cached blocks, consecutive from the one holding
     * {@code readFrom} and ending before any pending bucket; returns, per series, the last bucket
     * end they cover.
     */
    private static Map<Long, Long> fromCache(FinishedBuckets.View view, Set<SeriesBuckets.Field> fields, Map<Long, Labels> selected,
                                             long readFrom, long lastEnd, long[] pending, Map<Long, SeriesBuckets.Builder> builders) {
        long span = FinishedBuckets.blockMillis(view.rollup());
        long width = view.rollup().widthMillis();
        var covered = new HashMap<Long, Long>();
        for (var e : selected.entrySet()) {
            long until = readFrom - width;
            SeriesBuckets.Builder builder = null;
            for (long k = FinishedBuckets.blockOf(readFrom, span); (k + 1) * span <= lastEnd; k++) {
                if (pending != null && (k + 1) * span >= pending[0]) {
                    break;
                }
                FinishedBuckets.Block block = view.cache().get(view, e.getKey(), k);
                if (block == null || !block.fields().containsAll(fields)) {
                    break;
                }
                if (builder == null) {
                    builder = new SeriesBuckets.Builder(e.getValue(), width);
                    builders.put(e.getKey(), builder);
                }
                builder.addBuckets(block.buckets());
                until = (k + 1) * span;
            }
            if (builder != null) {
                covered.put(e.getKey(), until);
            }
        }
        return covered;
    }

    /** Keeps the series' whole blocks this read produced from stored rows: after what the cache covered, before anything pending. */
    private static void keep(FinishedBuckets.View view, Set<SeriesBuckets.Field> fields, long id, SeriesBuckets all, long coveredUntil,
                             long lastEnd, long[] pending) {
        long span = FinishedBuckets.blockMillis(view.rollup());
        for (long k = FinishedBuckets.blockOf(coveredUntil + view.rollup().widthMillis(), span); (k + 1) * span <= lastEnd; k++) {
            long blockEnd = (k + 1) * span;
            if (!view.cache().settled(blockEnd) || pending != null && blockEnd >= pending[0]) {
                break;
            }
            SeriesBuckets part = all.between(k * span + 1, blockEnd);
            view.cache().put(view, id, k, new FinishedBuckets.Block(new SeriesBuckets(Labels.EMPTY, part.widthMillis(), part.ends(),
                    part.counts(), part.sums(), part.mins(), part.maxes(), part.firstTimes(), part.firsts(), part.lastTimes(),
                    part.lasts(), part.resets(), part.staleTimes(), part.nanCounts()), Set.copyOf(fields)));
        }
    }

    /** The bucket ends covered by pending ranges, clipped to {@code [first, last]}; null when none is pending there. */
    private static long[] pendingSpan(Connection c, Rollups rollup, long first, long last) throws SQLException {
        try (var st = c.prepareStatement("SELECT (extract(epoch FROM min(from_time)) * 1000)::int8,"
                + " (extract(epoch FROM max(to_time)) * 1000)::int8 FROM " + Rollups.PENDING_TABLE
                + " WHERE width_seconds = ?")) {
            st.setInt(1, (int) rollup.width().toSeconds());
            try (var rs = st.executeQuery()) {
                rs.next();
                long from = rs.getLong(1);
                if (rs.wasNull()) {
                    return null;
                }
                long w = rollup.widthMillis();
                long start = Math.max(first, SeriesBuckets.bucketEnd(from, w));
                long end = Math.min(last, SeriesBuckets.bucketEnd(rs.getLong(2), w));
                return start > end ? null : new long[]{start, end};
            }
        }
    }

    /** Appends the stored buckets ending in {@code [firstEnd, lastEnd]} but those a series already has up to {@code covered}. */
    private static void readStored(Connection c, Rollups rollup, Set<SeriesBuckets.Field> fields, Map<Long, Labels> series,
                                   Map<Long, Long> covered, long firstEnd, long lastEnd, Map<Long, SeriesBuckets.Builder> builders)
            throws SQLException {
        if (lastEnd < firstEnd) {
            return;
        }
        boolean sum = fields.contains(SeriesBuckets.Field.SUM);
        boolean min = fields.contains(SeriesBuckets.Field.MIN);
        boolean max = fields.contains(SeriesBuckets.Field.MAX);
        boolean first = fields.contains(SeriesBuckets.Field.FIRST);
        boolean resets = fields.contains(SeriesBuckets.Field.RESETS);
        boolean stale = fields.contains(SeriesBuckets.Field.STALE);
        String columns = "series_id, bucket, cnt, last_time, last_val, nan_cnt" + (sum ? ", sum" : "") + (min ? ", min" : "")
                + (max ? ", max" : "") + (first ? ", first_time, first_val" : "") + (resets ? ", resets" : "")
                + (stale ? ", stale_time" : "");
        String query = """
                SELECT %s FROM %s WHERE series_id = ANY('%s'::int8[]) AND bucket >= '%s'::timestamptz
                AND bucket <= '%s'::timestamptz ORDER BY series_id, bucket""".formatted(columns, rollup.table(), idArray(series),
                Instant.ofEpochMilli(firstEnd), Instant.ofEpochMilli(lastEnd));
        try (var rows = new PgCopyBinaryReader(c, query, "reading " + rollup.table())) {
            long currentId = 0;
            long currentCovered = Long.MIN_VALUE;
            SeriesBuckets.Builder current = null;
            while (rows.next()) {
                long id = rows.int8(0);
                if (current == null || id != currentId) {
                    // Rows come by series: one map lookup per series, not per bucket.
                    current = builders.computeIfAbsent(id, k -> new SeriesBuckets.Builder(series.get(k), rollup.widthMillis()));
                    currentId = id;
                    currentCovered = covered.getOrDefault(id, Long.MIN_VALUE);
                }
                long end = rows.timeMillis(0);
                int count = rows.int4(0);
                long lastTime = rows.timeMillis(SeriesBuckets.NONE);
                double last = rows.float8(0);
                int nanCount = rows.int4(0);
                // Columns arrive in the order of the SELECT list.
                double sumValue = sum ? rows.float8(0) : 0;
                double minValue = min ? rows.float8(0) : Double.NaN;
                double maxValue = max ? rows.float8(0) : Double.NaN;
                long firstTime = first ? rows.timeMillis(SeriesBuckets.NONE) : SeriesBuckets.NONE;
                double firstValue = first ? rows.float8(0) : Double.NaN;
                double reset = resets ? rows.float8(0) : 0;
                long staleTime = stale ? rows.timeMillis(SeriesBuckets.NONE) : SeriesBuckets.NONE;
                if (end > currentCovered) {
                    current.addBucket(end, count, sumValue, minValue, maxValue, firstTime, firstValue, lastTime, last, reset,
                            staleTime, nanCount);
                }
            }
        }
    }

    /** The ids as a PostgreSQL array literal; ids are numbers from the dictionary, so inlining them is safe. */
    private static String idArray(Map<Long, Labels> series) {
        var sb = new StringBuilder("{");
        for (long id : series.keySet()) {
            sb.append(sb.length() == 1 ? "" : ",").append(id);
        }
        return sb.append('}').toString();
    }

    @Override
    public List<Labels> series(List<LabelMatcher> matchers, long startMillis, long endMillis) {
        if (endMillis < startMillis) {
            return List.of();
        }
        try (Connection c = dataSource.getConnection()) {
            var result = new ArrayList<>(selectSeries(c, matchers, startMillis, endMillis).values());
            result.sort(Comparator.comparing(Labels::toString));
            return result;
        } catch (SQLException e) {
            throw new StoreException("listing series " + matchers + " failed", e);
        }
    }

    /**
     * The dictionary rows the matchers select, by id. With a time bound, only series with a point
     * in it: an index probe per candidate on {@code samples (series_id, time)}.
     */
    private static Map<Long, Labels> selectSeries(Connection c, List<LabelMatcher> matchers, long startMillis, long endMillis)
            throws SQLException {
        var sql = new StringBuilder("SELECT s.id, s.metric, s.labels::text FROM series s WHERE true");
        var params = new ArrayList<Object>();
        var pinned = new TreeMap<String, String>();
        for (LabelMatcher m : matchers) {
            // An equality to "" means "label absent": containment cannot say that, the Java filter does.
            if (m.op() != LabelMatcher.Op.EQ || m.value().isEmpty()) {
                continue;
            }
            if (m.name().equals(LabelNames.METRIC_NAME)) {
                sql.append(" AND s.metric = ?");
                params.add(m.value());
            } else {
                pinned.putIfAbsent(m.name(), m.value()); // two different values for one name select nothing; Java sees to it
            }
        }
        if (!pinned.isEmpty()) {
            sql.append(" AND s.labels @> ?::jsonb");
            params.add(LabelsJson.write(Labels.of(pinned)));
        }
        if (startMillis != UNBOUNDED_START || endMillis != UNBOUNDED_END) {
            sql.append(" AND EXISTS (SELECT 1 FROM samples x WHERE x.series_id = s.id");
            if (startMillis != UNBOUNDED_START) {
                sql.append(" AND x.time >= ?");
                params.add(OffsetDateTime.ofInstant(Instant.ofEpochMilli(startMillis), ZoneOffset.UTC));
            }
            if (endMillis != UNBOUNDED_END) {
                sql.append(" AND x.time <= ?");
                params.add(OffsetDateTime.ofInstant(Instant.ofEpochMilli(endMillis), ZoneOffset.UTC));
            }
            sql.append(")");
        }
        var selected = new LinkedHashMap<Long, Labels>();
        try (var st = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                st.setObject(i + 1, params.get(i));
            }
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    var map = new TreeMap<>(LabelsJson.readMap(rs.getString(3)));
                    map.put(LabelNames.METRIC_NAME, rs.getString(2));
                    Labels labels = Labels.of(map);
                    if (matchers.stream().allMatch(m -> m.matches(labels))) {
                        selected.put(rs.getLong(1), labels);
                    }
                }
            }
        }
        return selected;
    }

    private static List<SeriesPoints> readPoints(Connection c, Map<Long, Labels> series, long startMillis, long endMillis)
            throws SQLException {
        var result = new ArrayList<SeriesPoints>();
        var acc = new PointsBuilder();
        long[] current = {Long.MIN_VALUE};
        streamPoints(c, series, startMillis, endMillis, (id, t, v) -> {
            if (id != current[0]) {
                if (current[0] != Long.MIN_VALUE) {
                    result.add(acc.build(series.get(current[0])));
                }
                current[0] = id;
            }
            acc.add(t, v);
        });
        if (current[0] != Long.MIN_VALUE) {
            result.add(acc.build(series.get(current[0])));
        }
        return result;
    }

    @FunctionalInterface
    private interface PointSink {
        void accept(long seriesId, long timeMillis, double value);
    }

    /**
     * The points of the series in {@code [start, end]}, by series then time, inside the caller's
     * transaction, through a binary COPY: parsing a timestamp and a double per row in text was most
     * of a read's time.
     */
    private static void streamPoints(Connection c, Map<Long, Labels> series, long startMillis, long endMillis, PointSink sink)
            throws SQLException {
        String query = """
                SELECT series_id, time, value FROM samples
                WHERE series_id = ANY('%s'::int8[]) AND time >= '%s'::timestamptz AND time <= '%s'::timestamptz
                ORDER BY series_id, time""".formatted(idArray(series), Instant.ofEpochMilli(startMillis), Instant.ofEpochMilli(endMillis));
        try (var rows = new PgCopyBinaryReader(c, query, "reading samples")) {
            while (rows.next()) {
                long id = rows.int8(0);
                long t = rows.timeMillis(0);
                sink.accept(id, t, rows.float8(Double.NaN));
            }
        }
    }

    /** Growable primitive arrays for one series at a time. */
    private static final class PointsBuilder {
        private long[] times = new long[256];
        private double[] values = new double[256];
        private int size;

        void add(long time, double value) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            times[size] = time;
            values[size] = value;
            size++;
        }

        SeriesPoints build(Labels labels) {
            var points = new SeriesPoints(labels, Arrays.copyOf(times, size), Arrays.copyOf(values, size));
            size = 0;
            return points;
        }
    }
}
