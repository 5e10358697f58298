package io.vigil.server.query;

import io.vigil.promql.LabelSets;
import io.vigil.promql.InMemorySeriesReader;
import io.vigil.ingest.ConsumedBatch;
import io.vigil.ingest.LayoutChoice;
import io.vigil.ingest.OffsetStore;
import io.vigil.ingest.SampleWriter;
import io.vigil.model.SeriesPoints;
import io.vigil.ingest.StoreLayout;
import io.vigil.ingest.StoreSchema;
import io.vigil.ingest.StoreSettings;
import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.sql.DataSource;

/**
 * The golden test's data: 14 series over one hour at 15 s, ending two hours ago on a whole minute.
 * Counters (one with a reset, one starting late), gauges, 0/1 health, and a gauge that stops early
 * so that lookback edges are exercised. Values come from a fixed seed, so every run sees the same shape.
 */
final class GoldenDataSet {

    static final long STEP_MILLIS = 15_000;
    static final int POINTS = 241; // one hour, both ends included

    final long startMillis;
    final long endMillis;
    final List<SeriesPoints> series;

    private GoldenDataSet(long startMillis, List<SeriesPoints> series) {
        this.startMillis = startMillis;
        this.endMillis = startMillis + (POINTS - 1) * STEP_MILLIS;
        this.series = series;
    }

    /** Ends two hours before {@code nowMillis}, on a whole minute: backfilled data must not touch Prometheus' head block. */
    static GoldenDataSet endingBefore(long nowMillis) {
        long end = (nowMillis - 2 * 3_600_000L) / 60_000 * 60_000;
        long start = end - (POINTS - 1) * STEP_MILLIS;
        var random = new Random(20_240_601);
        var series = new ArrayList<SeriesPoints>();
        for (String instance : List.of("db-1", "db-2", "db-3")) {
            for (String mode : List.of("read", "write")) {
                boolean reset = instance.equals("db-2") && mode.equals("read");
                int firstPoint = instance.equals("db-3") && mode.equals("write") ? 100 : 0;
                series.add(counter(Labels.of("__name__", "vigil_requests_total", "instance", instance, "job", "mysql", "mode", mode),
                        start, random, reset, firstPoint));
            }
            series.add(gauge(Labels.of("__name__", "vigil_connections", "instance", instance, "job", "mysql"), start, random, 20, 15, POINTS));
            series.add(health(Labels.of("__name__", "vigil_up", "instance", instance, "job", "mysql"), start, instance.equals("db-3")));
        }
        series.add(gauge(Labels.of("__name__", "vigil_lag_seconds", "instance", "pg-2", "job", "pg", "role", "replica"), start, random, 3, 4, POINTS));
        series.add(gauge(Labels.of("__name__", "vigil_lag_seconds", "instance", "pg-3", "job", "pg", "role", "replica"), start, random, 6, 2, 161));
        return new GoldenDataSet(start, series);
    }

    /**
     * Increments of 0–99.75 in quarters per scrape; a reset to a small value at 37 min 15 s when asked: the first
     * point of a minute, so a rollup sees the reset between two buckets, not inside one.
     */
    private static SeriesPoints counter(Labels labels, long start, Random random, boolean reset, int firstPoint) {
        int n = POINTS - firstPoint;
        long[] ts = new long[n];
        double[] vs = new double[n];
        double v = 1000 + random.nextInt(5000);
        for (int i = 0; i < n; i++) {
            int point = firstPoint + i;
            ts[i] = start + point * STEP_MILLIS;
            v += random.nextInt(400) / 4.0;
            if (reset && point == 149) {
                v = random.nextInt(40) / 4.0;
            }
            vs[i] = v;
        }
        return new SeriesPoints(labels, ts, vs);
    }

    private static SeriesPoints gauge(Labels labels, long start, Random random, double base, double spread, int n) {
        long[] ts = new long[n];
        double[] vs = new double[n];
        for (int i = 0; i < n; i++) {
            ts[i] = start + i * STEP_MILLIS;
            vs[i] = base + Math.round(random.nextGaussian() * spread * 1000) / 1000.0 + i * 0.01;
        }
        return new SeriesPoints(labels, ts, vs);
    }

    /** 1 throughout, except a 10-minute outage for {@code down}. */
    private static SeriesPoints health(Labels labels, long start, boolean down) {
        long[] ts = new long[POINTS];
        double[] vs = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
            ts[i] = start + i * STEP_MILLIS;
            vs[i] = down && i >= 80 && i < 120 ? 0 : 1;
        }
        return new SeriesPoints(labels, ts, vs);
    }

    /** The data as OpenMetrics text for {@code promtool tsdb create-blocks-from openmetrics}: one family after another. */
    String openMetrics() {
        var sb = new StringBuilder();
        var byFamily = new ArrayList<>(series);
        byFamily.sort(java.util.Comparator.comparing(s -> s.labels().get("__name__"))); // stable: keeps series order in a family
        for (SeriesPoints s : byFamily) {
            var name = s.labels().get("__name__");
            var labelText = new StringBuilder();
            for (Map.Entry<String, String> l : s.labels().asMap().entrySet()) {
                if (!l.getKey().equals("__name__")) {
                    labelText.append(labelText.isEmpty() ? "" : ",").append(l.getKey()).append("=\"").append(l.getValue()).append('"');
                }
            }
            for (int i = 0; i < s.size(); i++) {
                sb.append(name).append('{').append(labelText).append("} ")
                        .append(String.format(Locale.ROOT, "%s %d", Double.toString(s.values()[i]), s.timestampsMillis()[i] / 1000))
                        .append('\n');
            }
        }
        return sb.append("# EOF\n").toString();
    }

    /** Writes the data into a Vigil store through the ingest write path, one single-sample scrape per point. */
    void writeTo(DataSource dataSource) throws SQLException {
        StoreLayout layout = new StoreSchema(dataSource, LayoutChoice.AUTO, StoreSettings.defaults()).ensure();
        var writer = new SampleWriter(dataSource, layout, new OffsetStore(dataSource, "golden"), Duration.ofDays(30));
        var batches = new ArrayList<ConsumedBatch>();
        long offset = 0;
        for (SeriesPoints s : series) {
            String metric = s.labels().get(LabelNames.METRIC_NAME);
            Labels labels = LabelSets.dropName(s.labels());
            for (int i = 0; i < s.size(); i++) {
                var batch = new SampleBatch("golden", s.timestampsMillis()[i], labels, List.of(new Sample(metric, Labels.EMPTY, s.values()[i])));
                batches.add(new ConsumedBatch("golden", 0, offset++, batch));
            }
        }
        writer.write(batches);
    }

    InMemorySeriesReader reader() {
        var reader = new InMemorySeriesReader();
        series.forEach(reader::add);
        return reader;
    }
}
