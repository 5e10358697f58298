package io.vigil.ingest;

import io.vigil.model.SeriesReader;
import io.vigil.model.SeriesBuckets;
import io.vigil.model.SeriesPoints;
import io.vigil.model.LabelMatcher;
import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    private static final int FETCH_SIZE = 10_000;

    private final DataSource dataSource;

    @Inject
    public PgSeriesReader(DataSource dataSource) {
        this.dataSource = dataSource;
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
                long[] pending = pendingSpan(c, rollup, firstEndMillis, lastEndMillis);
                if (pending == null) {
                    readStored(c, rollup, selected, firstEndMillis, lastEndMillis, builders);
                } else {
                    readStored(c, rollup, selected, firstEndMillis, pending[0] - widthMillis, builders);
                    // The pending buckets' points are in (first end - width, last end].
                    streamPoints(c, selected, pending[0] - widthMillis + 1, pending[1], (id, t, v) ->
                            builders.computeIfAbsent(id, k -> new SeriesBuckets.Builder(selected.get(k), widthMillis)).add(t, v));
                    readStored(c, rollup, selected, pending[1] + widthMillis, lastEndMillis, builders);
                }
                c.commit();
            } finally {
                Tx.rollbackQuietly(c);
                c.setAutoCommit(autoCommit);
            }
            var result = new ArrayList<SeriesBuckets>(builders.size());
            builders.values().forEach(b -> result.add(b.build()));
            result.sort(Comparator.comparing(b -> b.labels().toString()));
            return Optional.of(result);
        } catch (SQLException e) {
            throw new StoreException("reading " + rollup.table() + " of " + matchers + " between "
                    + Instant.ofEpochMilli(firstEndMillis) + " and " + Instant.ofEpochMilli(lastEndMillis) + " failed", e);
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

    private static void readStored(Connection c, Rollups rollup, Map<Long, Labels> series, long firstEnd, long lastEnd,
                                   Map<Long, SeriesBuckets.Builder> builders) throws SQLException {
        if (lastEnd < firstEnd) {
            return;
        }
        try (var st = c.prepareStatement("""
                SELECT series_id, (extract(epoch FROM bucket) * 1000)::int8, cnt, sum, min, max,
                       (extract(epoch FROM first_time) * 1000)::int8, first_val,
                       (extract(epoch FROM last_time) * 1000)::int8, last_val, resets,
                       (extract(epoch FROM stale_time) * 1000)::int8, nan_cnt
                FROM %s WHERE series_id = ANY(?) AND bucket >= ? AND bucket <= ?
                ORDER BY series_id, bucket""".formatted(rollup.table()))) {
            st.setFetchSize(FETCH_SIZE);
            st.setArray(1, c.createArrayOf("int8", series.keySet().toArray(Long[]::new)));
            st.setObject(2, OffsetDateTime.ofInstant(Instant.ofEpochMilli(firstEnd), ZoneOffset.UTC));
            st.setObject(3, OffsetDateTime.ofInstant(Instant.ofEpochMilli(lastEnd), ZoneOffset.UTC));
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    builders.computeIfAbsent(id, k -> new SeriesBuckets.Builder(series.get(k), rollup.widthMillis()))
                            .addBucket(rs.getLong(2), rs.getInt(3), rs.getDouble(4), rs.getDouble(5), rs.getDouble(6),
                                    timeOrNone(rs, 7), rs.getDouble(8), timeOrNone(rs, 9), rs.getDouble(10), rs.getDouble(11),
                                    timeOrNone(rs, 12), rs.getInt(13));
                }
            }
        }
    }

    private static long timeOrNone(ResultSet rs, int column) throws SQLException {
        long t = rs.getLong(column);
        return rs.wasNull() ? SeriesBuckets.NONE : t;
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
        boolean autoCommit = c.getAutoCommit();
        // PgJDBC streams with a cursor only outside auto-commit; a day of hundreds of series would not fit otherwise.
        c.setAutoCommit(false);
        try {
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
            c.commit();
        } finally {
            Tx.rollbackQuietly(c);
            c.setAutoCommit(autoCommit);
        }
        return result;
    }

    @FunctionalInterface
    private interface PointSink {
        void accept(long seriesId, long timeMillis, double value);
    }

    /**
     * The points of the series in {@code [start, end]}, by series then time, inside the caller's
     * transaction. Times come as epoch milliseconds: parsing a timestamp per row was a third of a read.
     */
    private static void streamPoints(Connection c, Map<Long, Labels> series, long startMillis, long endMillis, PointSink sink)
            throws SQLException {
        try (var st = c.prepareStatement("""
                SELECT series_id, (extract(epoch FROM time) * 1000)::int8, value,
                       CASE WHEN value = 'NaN' THEN float8send(value) END AS nan_bits FROM samples
                WHERE series_id = ANY(?) AND time >= ? AND time <= ?
                ORDER BY series_id, time""")) {
            st.setFetchSize(FETCH_SIZE);
            st.setArray(1, c.createArrayOf("int8", series.keySet().toArray(Long[]::new)));
            st.setObject(2, OffsetDateTime.ofInstant(Instant.ofEpochMilli(startMillis), ZoneOffset.UTC));
            st.setObject(3, OffsetDateTime.ofInstant(Instant.ofEpochMilli(endMillis), ZoneOffset.UTC));
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    sink.accept(rs.getLong(1), rs.getLong(2), value(rs));
                }
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

    /**
     * The text protocol turns every NaN into the canonical one, which would erase Prometheus'
     * staleness marker (a NaN with a particular payload); a NaN's raw bits come back as bytea.
     */
    private static double value(ResultSet rs) throws SQLException {
        byte[] nanBits = rs.getBytes(4);
        if (nanBits == null) {
            return rs.getDouble(3);
        }
        return Double.longBitsToDouble(java.nio.ByteBuffer.wrap(nanBits).getLong());
    }

}
