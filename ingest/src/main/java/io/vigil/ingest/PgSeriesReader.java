package io.vigil.ingest;

import io.vigil.model.SeriesReader;
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
        try (var st = c.prepareStatement("""
                SELECT series_id, time, value, CASE WHEN value = 'NaN' THEN float8send(value) END AS nan_bits FROM samples
                WHERE series_id = ANY(?) AND time >= ? AND time <= ?
                ORDER BY series_id, time""")) {
            st.setFetchSize(FETCH_SIZE);
            st.setArray(1, c.createArrayOf("int8", series.keySet().toArray(Long[]::new)));
            st.setObject(2, OffsetDateTime.ofInstant(Instant.ofEpochMilli(startMillis), ZoneOffset.UTC));
            st.setObject(3, OffsetDateTime.ofInstant(Instant.ofEpochMilli(endMillis), ZoneOffset.UTC));
            try (var rs = st.executeQuery()) {
                var acc = new PointsBuilder();
                long current = Long.MIN_VALUE;
                while (rs.next()) {
                    long id = rs.getLong(1);
                    if (id != current) {
                        if (current != Long.MIN_VALUE) {
                            result.add(acc.build(series.get(current)));
                        }
                        current = id;
                    }
                    acc.add(rs.getObject(2, OffsetDateTime.class).toInstant().toEpochMilli(), value(rs));
                }
                if (current != Long.MIN_VALUE) {
                    result.add(acc.build(series.get(current)));
                }
            }
            c.commit();
        } finally {
            Tx.rollbackQuietly(c);
            c.setAutoCommit(autoCommit);
        }
        return result;
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
