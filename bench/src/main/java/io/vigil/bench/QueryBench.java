package io.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.ingest.ConsumedBatch;
import io.vigil.ingest.LayoutChoice;
import io.vigil.ingest.OffsetStore;
import io.vigil.ingest.PgSeriesReader;
import io.vigil.ingest.RollupMaintainer;
import io.vigil.model.SeriesReader;
import io.vigil.model.SeriesPoints;
import io.vigil.ingest.SampleWriter;
import io.vigil.ingest.StoreLayout;
import io.vigil.ingest.StoreSchema;
import io.vigil.ingest.StoreSettings;
import io.vigil.model.LabelMatcher;
import io.vigil.model.SeriesBuckets;
import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;
import io.vigil.server.query.ApiResult;
import io.vigil.server.query.PrometheusQueryApi;
import io.vigil.server.query.PrometheusResponses;
import io.vigil.promql.QueryEngine;

import java.io.BufferedWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The query side of {@code bench/run-query.sh}:
 * <pre>
 *   load JDBC_URL OUTDIR      100 series × 7 days at 15 s (4,032,000 points) into a fresh store through SampleWriter,
 *                             then the rollups brought up to date (RollupMaintainer); the same points as OpenMetrics
 *                             text in OUTDIR/data.om, the last time in OUTDIR/end.txt
 *   vigil JDBC_URL OUTDIR RUNS  Vigil's side of run alone, for profiling
 *   run JDBC_URL PROM_URL OUTDIR RUNS
 *                             query_range over the last 24 h at a 60 s step and over the 7 days at a 1 h step, RUNS
 *                             timed runs per query and engine after 5 warm-up runs: Vigil in-process (PrometheusQueryApi
 *                             + JSON) with rollups and with raw points only, Prometheus over HTTP
 * </pre>
 */
public final class QueryBench {

    static final int SERIES = 100;
    static final long STEP_MILLIS = 15_000;
    static final long DAY_MILLIS = 24 * 3_600_000L;
    static final long RANGE_MILLIS = 7 * DAY_MILLIS;
    static final String METRIC = "bench_requests_total";

    /** A query_range: expression, span back from the end, step. */
    record Query(String expr, long spanMillis, long stepSeconds) {
    }

    static final List<Query> QUERIES = List.of(
            new Query(METRIC, DAY_MILLIS, 60),
            new Query("rate(" + METRIC + "[5m])", DAY_MILLIS, 60),
            new Query("sum by (cluster) (rate(" + METRIC + "[5m]))", DAY_MILLIS, 60),
            new Query(METRIC, RANGE_MILLIS, 3600),
            new Query("increase(" + METRIC + "[1h])", RANGE_MILLIS, 3600),
            new Query("sum by (cluster) (increase(" + METRIC + "[1h]))", RANGE_MILLIS, 3600));
    static final int WARMUP = 5;

    public static void main(String[] args) throws Exception {
        switch (args.length == 0 ? "" : args[0]) {
            case "load" -> load(args[1], Path.of(args[2]));
            case "run" -> run(args[1], args[2], Path.of(args[3]), Integer.parseInt(args[4]));
            case "vigil" -> vigilOnly(args[1], Path.of(args[2]), Integer.parseInt(args[3]));
            default -> {
                System.err.println("usage: QueryBench load JDBC_URL OUTDIR | run JDBC_URL PROM_URL OUTDIR RUNS");
                System.exit(2);
            }
        }
    }

    static void load(String url, Path outDir) throws Exception {
        Files.createDirectories(outDir);
        var ds = IngestBench.dataSource(url);
        StoreLayout layout = new StoreSchema(ds, LayoutChoice.PARTITIONED, StoreSettings.defaults()).ensure();
        var writer = new SampleWriter(ds, layout, new OffsetStore(ds, "bench-load"), Duration.ofDays(30));
        long end = Instant.now().minus(Duration.ofMinutes(1)).toEpochMilli() / 60_000 * 60_000;
        long start = end - RANGE_MILLIS + STEP_MILLIS;
        int points = (int) (RANGE_MILLIS / STEP_MILLIS);
        var labels = new Labels[SERIES];
        var values = new double[SERIES][points];
        for (int i = 0; i < SERIES; i++) {
            labels[i] = Labels.of("cluster", "cluster-" + i / 10, "instance", "db-" + i + ":3306", "kind", "mysql");
            double v = i * 1000;
            for (int k = 0; k < points; k++) {
                v += (i + 1) * 1.5 + ((k * 7919L + i * 31L) % 13) * 0.25; // a counter with an uneven rate
                values[i][k] = v;
            }
        }
        long t0 = System.nanoTime();
        var chunk = new ArrayList<ConsumedBatch>();
        long offset = 0;
        long written = 0;
        for (int k = 0; k < points; k++) {
            long ts = start + k * STEP_MILLIS;
            for (int i = 0; i < SERIES; i++) {
                var batch = new SampleBatch("db-" + i, ts, labels[i], List.of(new Sample(METRIC, Labels.EMPTY, values[i][k])));
                chunk.add(new ConsumedBatch("bench-load", 0, offset++, batch));
            }
            if (chunk.size() >= 20_000 || k == points - 1) {
                written += writer.write(chunk).pointsWritten();
                chunk.clear();
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "loaded %d points (%d series, %s .. %s) through SampleWriter in %.1f s (%.0f/s)%n",
                written, SERIES, Instant.ofEpochMilli(start), Instant.ofEpochMilli(end), secs, written / secs);
        long r0 = System.nanoTime();
        var rollups = new RollupMaintainer(ds, StoreSettings.defaults(), Clock.systemUTC()).runOnce();
        System.out.printf(Locale.ROOT, "RESULT rollups: %d pending ranges, %d buckets written in %.1f s%n",
                rollups.pendingTaken(), rollups.bucketsWritten(), (System.nanoTime() - r0) / 1e9);
        try (BufferedWriter w = Files.newBufferedWriter(outDir.resolve("data.om"), StandardCharsets.UTF_8)) {
            for (int i = 0; i < SERIES; i++) {
                var sb = new StringBuilder(METRIC).append('{');
                var first = true;
                for (Map.Entry<String, String> l : labels[i].asMap().entrySet()) {
                    sb.append(first ? "" : ",").append(l.getKey()).append("=\"").append(l.getValue()).append('"');
                    first = false;
                }
                String prefix = sb.append("} ").toString();
                for (int k = 0; k < points; k++) {
                    w.write(prefix + values[i][k] + " " + (start + k * STEP_MILLIS) / 1000 + "\n");
                }
            }
            w.write("# EOF\n");
        }
        Files.writeString(outDir.resolve("end.txt"), Long.toString(end));
    }

    /** vigil.query.rollup-cache-buckets as the server has it by default. */
    private static final long CACHED_BUCKETS = 1_000_000;

    static void run(String url, String promUrl, Path outDir, int runs) throws Exception {
        long end = Long.parseLong(Files.readString(outDir.resolve("end.txt")).strip());
        var store = new PgSeriesReader(IngestBench.dataSource(url));
        var api = new PrometheusQueryApi(new QueryEngine(store), System::currentTimeMillis);
        // As the server runs by default: finished rollup blocks kept between reads (a dashboard's refresh).
        var cachedApi = new PrometheusQueryApi(new QueryEngine(new PgSeriesReader(IngestBench.dataSource(url), CACHED_BUCKETS)),
                System::currentTimeMillis);
        var rawOnly = new PrometheusQueryApi(new QueryEngine(new RawOnly(store)), System::currentTimeMillis);
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        var mapper = new ObjectMapper();
        System.out.printf(Locale.ROOT, "query_range ending %s, %d runs after %d warm-up runs%n", Instant.ofEpochMilli(end), runs, WARMUP);
        // The HTTP floor: an instant query with no data access.
        var floor = new long[runs];
        for (int r = -WARMUP; r < runs; r++) {
            long t0 = System.nanoTime();
            get(http, promUrl + "/api/v1/query?query=" + enc("vector(1)"));
            if (r >= 0) {
                floor[r] = System.nanoTime() - t0;
            }
        }
        System.out.printf(Locale.ROOT, "RESULT http_floor prometheus query=vector(1) p50_ms=%.2f p99_ms=%.2f%n",
                pct(floor, 50), pct(floor, 99));
        for (Query query : QUERIES) {
            String q = query.expr();
            // Grafana aligns a range to its step; so does this bench (1 h steps end on the hour).
            long stepMillis = query.stepSeconds() * 1000;
            long queryEnd = end / stepMillis * stepMillis;
            String startS = seconds(queryEnd - query.spanMillis());
            String endS = seconds(queryEnd);
            String step = Long.toString(query.stepSeconds());
            Map<String, String> params = Map.of("query", q, "start", startS, "end", endS, "step", step);
            var vigil = new long[runs];
            String vigilJson = timeVigil(api, params, vigil);
            var cached = new long[runs];
            String cachedJson = timeVigil(cachedApi, params, cached);
            // Raw points only, for comparison: a 7-day read takes seconds, so fewer runs.
            var raw = new long[query.spanMillis() > DAY_MILLIS ? Math.min(runs, 5) : Math.min(runs, 20)];
            String rawJson = timeVigil(rawOnly, params, raw);
            String promQuery = promUrl + "/api/v1/query_range?query=" + enc(q) + "&start=" + startS + "&end=" + endS + "&step=" + step;
            String promJson = null;
            var prom = new long[runs];
            for (int r = -WARMUP; r < runs; r++) {
                long t0 = System.nanoTime();
                promJson = get(http, promQuery);
                if (r >= 0) {
                    prom[r] = System.nanoTime() - t0;
                }
            }
            String check = compare(mapper.readTree(vigilJson), mapper.readTree(promJson));
            String rawCheck = compare(mapper.readTree(vigilJson), mapper.readTree(rawJson));
            String cachedCheck = compare(mapper.readTree(cachedJson), mapper.readTree(promJson));
            System.out.printf(Locale.ROOT, "RESULT query=%s span_h=%d step_s=%d vigil_p50_ms=%.1f vigil_p99_ms=%.1f"
                            + " vigil_kept_blocks_p50_ms=%.1f vigil_kept_blocks_p99_ms=%.1f"
                            + " vigil_raw_only_p50_ms=%.1f vigil_raw_only_p99_ms=%.1f prometheus_p50_ms=%.1f"
                            + " prometheus_p99_ms=%.1f p50_ratio_vigil_over_prom=%.2f vigil_json_bytes=%d prom_json_bytes=%d"
                            + " vs_prometheus: %s; kept_blocks_vs_prometheus: %s; rollups_vs_raw: %s%n",
                    q, query.spanMillis() / 3_600_000, query.stepSeconds(), pct(vigil, 50), pct(vigil, 99), pct(cached, 50),
                    pct(cached, 99), pct(raw, 50), pct(raw, 99), pct(prom, 50), pct(prom, 99), pct(vigil, 50) / pct(prom, 50),
                    vigilJson.length(), promJson.length(), check, cachedCheck, rawCheck);
        }
        breakdown(url, end - DAY_MILLIS, end, runs);
    }

    /** Vigil alone over the loaded store, every query: for profiling (e.g. under JFR) without Prometheus. */
    static void vigilOnly(String url, Path outDir, int runs) throws Exception {
        long end = Long.parseLong(Files.readString(outDir.resolve("end.txt")).strip());
        var api = new PrometheusQueryApi(new QueryEngine(new PgSeriesReader(IngestBench.dataSource(url))), System::currentTimeMillis);
        var cachedApi = new PrometheusQueryApi(new QueryEngine(new PgSeriesReader(IngestBench.dataSource(url), CACHED_BUCKETS)),
                System::currentTimeMillis);
        for (Query query : QUERIES) {
            long stepMillis = query.stepSeconds() * 1000;
            long queryEnd = end / stepMillis * stepMillis;
            Map<String, String> params = Map.of("query", query.expr(), "start", seconds(queryEnd - query.spanMillis()),
                    "end", seconds(queryEnd), "step", Long.toString(query.stepSeconds()));
            var times = new long[runs];
            timeVigil(api, params, times);
            var kept = new long[runs];
            timeVigil(cachedApi, params, kept);
            System.out.printf(Locale.ROOT, "RESULT vigil_only query=%s span_h=%d step_s=%d p50_ms=%.1f p99_ms=%.1f"
                            + " kept_blocks_p50_ms=%.1f kept_blocks_p99_ms=%.1f%n", query.expr(),
                    query.spanMillis() / 3_600_000, query.stepSeconds(), pct(times, 50), pct(times, 99), pct(kept, 50), pct(kept, 99));
        }
        // The store's part of the plain selectors: reading the buckets the engine asks for.
        var store = new PgSeriesReader(IngestBench.dataSource(url));
        var matchers = List.of(LabelMatcher.eq("__name__", METRIC));
        for (long width : List.of(60_000L, 3_600_000L)) {
            long span = width == 60_000L ? DAY_MILLIS : RANGE_MILLIS;
            long queryEnd = end / width * width;
            var times = new long[runs];
            long buckets = 0;
            for (int r = -WARMUP; r < runs; r++) {
                long t0 = System.nanoTime();
                // The columns a plain selector asks for (QueryEngine).
                buckets = store.readBuckets(matchers, width, queryEnd - span - QueryEngine.DEFAULT_LOOKBACK_MILLIS, queryEnd,
                                EnumSet.of(SeriesBuckets.Field.STALE))
                        .orElseThrow().stream().mapToLong(b -> b.size()).sum();
                if (r >= 0) {
                    times[r] = System.nanoTime() - t0;
                }
            }
            System.out.printf(Locale.ROOT, "RESULT store_only readBuckets width_ms=%d buckets=%d p50_ms=%.1f p99_ms=%.1f%n", width,
                    buckets, pct(times, 50), pct(times, 99));
        }
    }

    /** Times {@code times.length} runs after as many warm-up runs, {@link #WARMUP} at most; returns the last JSON body. */
    private static String timeVigil(PrometheusQueryApi api, Map<String, String> params, long[] times) {
        String json = null;
        for (int r = -Math.min(WARMUP, times.length); r < times.length; r++) {
            long t0 = System.nanoTime();
            ApiResult result = api.queryRange(name -> params.getOrDefault(name, ""));
            json = PrometheusResponses.toJson(result.body());
            if (r >= 0) {
                times[r] = System.nanoTime() - t0;
            }
            if (result.httpStatus() != 200) {
                throw new IllegalStateException("Vigil answered " + result.httpStatus() + ": " + json);
            }
        }
        return json;
    }

    /** The store without its rollups: what every query cost before them, for comparison in the same run. */
    private record RawOnly(SeriesReader store) implements SeriesReader {
        @Override
        public List<SeriesPoints> read(List<LabelMatcher> matchers, long startMillis, long endMillis) {
            return store.read(matchers, startMillis, endMillis);
        }

        @Override
        public List<Labels> series(List<LabelMatcher> matchers, long startMillis, long endMillis) {
            return store.series(matchers, startMillis, endMillis);
        }
    }

    /**
     * Where Vigil's time goes for the plain selector: the store read alone (PgSeriesReader.read over the window
     * the engine asks for, i.e. 5 min lookback before start) and PostgreSQL's own execution time of the points
     * query (EXPLAIN ANALYZE of the same SQL, no rows sent).
     */
    static void breakdown(String url, long start, long end, int runs) throws Exception {
        var ds = IngestBench.dataSource(url);
        var reader = new PgSeriesReader(ds);
        var matchers = List.of(LabelMatcher.eq("__name__", METRIC));
        long from = start - QueryEngine.DEFAULT_LOOKBACK_MILLIS;
        var read = new long[runs];
        long points = 0;
        for (int r = -WARMUP; r < runs; r++) {
            long t0 = System.nanoTime();
            points = reader.read(matchers, from, end).stream().mapToLong(SeriesPoints::size).sum();
            if (r >= 0) {
                read[r] = System.nanoTime() - t0;
            }
        }
        var exec = new double[Math.min(runs, 20)];
        try (Connection c = ds.getConnection(); var st = c.prepareStatement("EXPLAIN (ANALYZE, TIMING OFF)"
                + " SELECT series_id, time, value, CASE WHEN value = 'NaN' THEN float8send(value) END AS nan_bits FROM samples"
                + " WHERE series_id = ANY(ARRAY(SELECT id FROM series WHERE metric = ?)) AND time >= ? AND time <= ?"
                + " ORDER BY series_id, time")) {
            st.setString(1, METRIC);
            st.setObject(2, OffsetDateTime.ofInstant(Instant.ofEpochMilli(from), ZoneOffset.UTC));
            st.setObject(3, OffsetDateTime.ofInstant(Instant.ofEpochMilli(end), ZoneOffset.UTC));
            for (int r = 0; r < exec.length; r++) {
                try (var rs = st.executeQuery()) {
                    while (rs.next()) {
                        String line = rs.getString(1);
                        if (line.startsWith("Execution Time:")) {
                            exec[r] = Double.parseDouble(line.replaceAll("[^0-9.]", ""));
                        }
                    }
                }
            }
        }
        Arrays.sort(exec);
        System.out.printf(Locale.ROOT, "RESULT breakdown store_read(PgSeriesReader.read, %d points) p50_ms=%.1f p99_ms=%.1f;"
                + " postgres_execution(EXPLAIN ANALYZE, same SQL) median_ms=%.1f%n", points, pct(read, 50), pct(read, 99),
                exec[exec.length / 2]);
    }

    /** Series count, point count and the largest relative difference between the two answers. */
    static String compare(JsonNode vigil, JsonNode prom) {
        var p = new HashMap<String, JsonNode>();
        for (JsonNode s : prom.path("data").path("result")) {
            p.put(s.path("metric").toString(), s.path("values"));
        }
        long points = 0;
        long mismatched = 0;
        double maxRel = 0;
        int missing = 0;
        for (JsonNode s : vigil.path("data").path("result")) {
            JsonNode other = p.get(s.path("metric").toString());
            if (other == null) {
                missing++;
                continue;
            }
            JsonNode values = s.path("values");
            if (values.size() != other.size()) {
                mismatched++;
            }
            for (int i = 0; i < Math.min(values.size(), other.size()); i++) {
                points++;
                double a = Double.parseDouble(values.get(i).get(1).asText());
                double b = Double.parseDouble(other.get(i).get(1).asText());
                if (values.get(i).get(0).asDouble() != other.get(i).get(0).asDouble()) {
                    mismatched++;
                }
                double rel = a == b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
                maxRel = Math.max(maxRel, rel);
            }
        }
        return String.format(Locale.ROOT, "check: series vigil=%d prometheus=%d missing=%d points=%d mismatched=%d max_rel_diff=%.2g",
                vigil.path("data").path("result").size(), prom.path("data").path("result").size(), missing, points, mismatched, maxRel);
    }

    static String get(HttpClient http, String uri) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%d.%03d", millis / 1000, millis % 1000);
    }

    /** Nearest-rank percentile in milliseconds. */
    static double pct(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    private QueryBench() {
    }
}
