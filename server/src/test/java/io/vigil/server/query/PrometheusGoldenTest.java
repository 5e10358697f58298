package io.vigil.server.query;

import io.vigil.promql.QueryEngine;
import io.vigil.promql.PromFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.ingest.PgSeriesReader;
import io.vigil.ingest.RollupMaintainer;
import io.vigil.ingest.StoreSettings;
import io.vigil.model.SeriesReader;
import io.vigil.testbed.Postgres;
import io.vigil.testbed.Prometheus;
import io.vigil.testbed.WithServices;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Vigil's PromQL answers against a real Prometheus 2.42 holding the same data: Prometheus gets it
 * backfilled with promtool, Vigil through its ingest writer into PostgreSQL, read back by the real
 * store reader. Each query is run as instant queries at several times (lookback and range edges
 * included) and as range queries with an aligned and an unaligned step, and the JSON answers must
 * agree: result type, series count, label sets, timestamps exactly, values within 1e-9 relative.
 */
@WithServices({PrometheusGoldenTest.GoldenPrometheus.class, Postgres.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusGoldenTest {

    static final GoldenDataSet DATA = GoldenDataSet.endingBefore(System.currentTimeMillis());
    private static final double RELATIVE_TOLERANCE = 1e-9;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A Prometheus whose TSDB holds {@link #DATA}, backfilled before it starts. */
    static final class GoldenPrometheus extends Prometheus {
        @Override
        protected String openMetrics() {
            return DATA.openMetrics();
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final GoldenPrometheus prometheus;
    private final SeriesReader store;
    private final PrometheusQueryApi vigil;

    PrometheusGoldenTest(GoldenPrometheus prometheus, Postgres postgres) throws Exception {
        this.prometheus = prometheus;
        var dataSource = new PGSimpleDataSource();
        dataSource.setURL(postgres.createDatabase("golden_" + ProcessHandle.current().pid()));
        dataSource.setUser(postgres.user());
        DATA.writeTo(dataSource);
        // The data ended two hours ago, so every bucket is over: range queries on whole minutes and hours
        // are answered from the rollup tables (RollupStoreTest covers buckets still pending).
        var rollups = new RollupMaintainer(dataSource, StoreSettings.defaults(), Clock.systemUTC()).runOnce();
        assertThat(rollups.bucketsWritten()).isPositive();
        store = new PgSeriesReader(dataSource);
        vigil = new PrometheusQueryApi(new QueryEngine(store), System::currentTimeMillis);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "vigil_requests_total",
            "vigil_requests_total{mode=\"write\", instance=~\"db-[12]\"} offset 10m",
            "vigil_lag_seconds",
            "rate(vigil_requests_total[5m])",
            "rate(vigil_requests_total[1m] offset 3m)",
            "max(irate((vigil_requests_total[2m])))",
            "irate(vigil_requests_total[1m])",
            "increase(vigil_requests_total[10m])",
            "increase(vigil_requests_total[1h])",
            "delta(vigil_connections[10m])",
            "idelta(vigil_lag_seconds[2m])",
            "sum by (instance) (rate(vigil_requests_total[5m]))",
            "sum(rate(vigil_requests_total[5m])) without (instance)",
            "avg(vigil_connections)",
            "min by (job, role) (vigil_lag_seconds) + max without (instance) (vigil_lag_seconds)",
            "count(vigil_up == 1)",
            "topk(2, vigil_connections)",
            "bottomk(2, rate(vigil_requests_total[5m]))",
            "quantile(0.9, vigil_connections)",
            "avg_over_time(vigil_connections[10m])",
            "min_over_time(vigil_lag_seconds[7m]) - max_over_time(vigil_lag_seconds[7m])",
            "sum_over_time(vigil_up[5m]) / count_over_time(vigil_up[5m])",
            "last_over_time(vigil_lag_seconds[10m])",
            "quantile_over_time(0.75, vigil_connections[15m])",
            "vigil_connections * 2 + 1 - -vigil_connections / 4 % 3",
            "2 ^ 3 ^ 2 - -2 ^ 2 + 10 % 3 * time() / time()",
            "vigil_connections > 20",
            "20 < bool vigil_connections",
            "rate(vigil_requests_total{mode=\"read\"}[5m]) / on(instance) rate(vigil_requests_total{mode=\"write\"}[5m])",
            "vigil_requests_total{mode=\"read\"} - ignoring(mode) vigil_requests_total{mode=\"write\"}",
            "vigil_connections / on(instance, job) vigil_up",
            "vigil_connections >= bool on(instance) (vigil_connections offset 5m)",
            "abs(vigil_lag_seconds - 5)",
            "clamp_min(vigil_connections, 22) + clamp_max(vigil_connections, 18)",
            "absent(vigil_missing{job=\"pg\", role=~\"r.*\"})",
            "absent(vigil_lag_seconds{instance=\"pg-3\"})",
            "vector(1) + scalar(sum(vigil_up))",
            "(sum(vigil_up) by (job) + 1) * 2 == bool 8",
    })
    void agreesWithPrometheus(String query) throws Exception {
        int points = 0;
        long mid = DATA.startMillis + 30 * 60_000 + 7_500;
        long afterLastLag = DATA.startMillis + 40 * 60_000 + 5 * 60_000; // pg-3 stopped at 40 min: exactly one lookback later
        for (long t : List.of(DATA.startMillis + 2 * 60_000, mid, afterLastLag, DATA.endMillis, DATA.endMillis + 5 * 60_000)) {
            points += compare(query, "query", Map.of("query", query, "time", seconds(t)));
        }
        points += compare(query, "query_range", Map.of("query", query, "start", seconds(DATA.startMillis - 5 * 60_000),
                "end", seconds(DATA.endMillis + 10 * 60_000), "step", "60"));
        points += compare(query, "query_range", Map.of("query", query, "start", seconds(DATA.startMillis + 3_000),
                "end", seconds(DATA.endMillis), "step", "37"));
        long hour = 3_600_000;
        points += compare(query, "query_range", Map.of("query", query, "start", seconds(DATA.startMillis / hour * hour),
                "end", seconds(DATA.endMillis + 2 * hour), "step", "3600"));
        // Two empty answers agree too: make sure each query really compared data.
        assertThat(points).as("points compared for %s", query).isGreaterThan(50);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vigil_lag_seconds[2m]", "vigil_requests_total{instance=\"db-2\"}[1m] offset 30s", "1 + 1", "-time()"})
    void instantOnlyQueriesAgree(String query) throws Exception {
        for (long t : List.of(DATA.startMillis + 90_000, DATA.endMillis)) {
            assertThat(compare(query, "query", Map.of("query", query, "time", seconds(t)))).as("points compared").isPositive();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"series?match[]=vigil_up&match[]={job=\"pg\"}", "series?match[]={__name__=~\"vigil_(up|lag).*\",instance!=\"db-1\"}",
            "labels", "labels?match[]=vigil_lag_seconds", "label/instance/values", "label/__name__/values?match[]={job=\"pg\"}"})
    void listingsAgreeWithPrometheus(String request) throws Exception {
        String path = request.contains("?") ? request.substring(0, request.indexOf('?')) : request;
        var params = new ArrayList<String[]>();
        if (request.contains("?")) {
            for (String pair : request.substring(request.indexOf('?') + 1).split("&")) {
                params.add(new String[] {pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1)});
            }
        }
        params.add(new String[] {"start", seconds(DATA.startMillis)});
        params.add(new String[] {"end", seconds(DATA.endMillis)});
        var query = new StringBuilder();
        for (String[] p : params) {
            query.append(query.isEmpty() ? "?" : "&").append(p[0]).append('=').append(URLEncoder.encode(p[1], StandardCharsets.UTF_8));
        }
        var response = http.send(HttpRequest.newBuilder(URI.create(prometheus.url() + "/api/v1/" + path + query)).GET()
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode expected = JSON.readTree(response.body());

        var listings = new PrometheusSeriesApi(store);
        var vigilParams = new PrometheusSeriesApi.Params() {
            @Override
            public String get(String name) {
                return params.stream().filter(p -> p[0].equals(name)).map(p -> p[1]).findFirst().orElse("");
            }

            @Override
            public List<String> matchers() {
                return params.stream().filter(p -> p[0].equals("match[]")).map(p -> p[1]).toList();
            }
        };
        ApiResult result = switch (path) {
            case "series" -> listings.series(vigilParams);
            case "labels" -> listings.labelNames(vigilParams);
            default -> listings.labelValues(path.split("/")[1], vigilParams);
        };
        JsonNode actual = JSON.readTree(PrometheusResponses.toJson(result.body()));
        assertThat(expected.path("data").size()).as("Prometheus answered %s", expected).isPositive();
        assertThat(actual.path("status")).isEqualTo(expected.path("status"));
        if (path.equals("series")) {
            // Prometheus does not promise an order for series: compare as sets.
            assertThat(actual.path("data")).containsExactlyInAnyOrderElementsOf(expected.path("data"));
        } else {
            assertThat(actual.path("data")).isEqualTo(expected.path("data"));
        }
    }

    /** @return how many points were compared */
    private int compare(String query, String endpoint, Map<String, String> params) throws Exception {
        JsonNode expected = prometheus(endpoint, params);
        JsonNode actual = JSON.readTree(PrometheusResponses.toJson(
                (endpoint.equals("query") ? vigil.query(p(params)) : vigil.queryRange(p(params))).body()));
        String where = endpoint + " " + params;
        assertThat(expected.path("status").asText()).as("Prometheus answered %s", expected).isEqualTo("success");
        assertThat(actual.path("status").asText()).as("Vigil: %s for %s", actual, where).isEqualTo("success");
        JsonNode e = expected.path("data");
        JsonNode a = actual.path("data");
        assertThat(a.path("resultType").asText()).as("result type of %s", where).isEqualTo(e.path("resultType").asText());
        if (e.path("resultType").asText().equals("scalar")) {
            comparePoint(e.path("result"), a.path("result"), where);
            return 1;
        }
        Map<Map<String, String>, JsonNode> want = bySeries(e.path("result"));
        Map<Map<String, String>, JsonNode> got = bySeries(a.path("result"));
        assertThat(got.keySet()).as("series of %s", where).containsExactlyInAnyOrderElementsOf(want.keySet());
        int points = 0;
        for (var entry : want.entrySet()) {
            JsonNode w = entry.getValue();
            JsonNode g = got.get(entry.getKey());
            String series = where + " " + entry.getKey();
            if (w.has("value")) {
                comparePoint(w.path("value"), g.path("value"), series);
                points++;
            } else {
                assertThat(g.path("values").size()).as("points of %s: %s vs %s", series, g, w).isEqualTo(w.path("values").size());
                for (int i = 0; i < w.path("values").size(); i++) {
                    comparePoint(w.path("values").get(i), g.path("values").get(i), series);
                    points++;
                }
            }
        }
        return points;
    }

    private static void comparePoint(JsonNode want, JsonNode got, String where) {
        assertThat(got.get(0).decimalValue()).as("timestamp in %s", where).isEqualByComparingTo(want.get(0).decimalValue());
        double w = Double.parseDouble(want.get(1).asText().replace("+Inf", "Infinity").replace("-Inf", "-Infinity"));
        double g = Double.parseDouble(got.get(1).asText().replace("+Inf", "Infinity").replace("-Inf", "-Infinity"));
        if (Double.isNaN(w) || Double.isInfinite(w) || w == 0) {
            if (Double.compare(w, g) != 0 && !(w == 0 && g == 0)) {
                fail("value at %s in %s: expected %s, got %s", want.get(0), where, want.get(1), got.get(1));
            }
        } else if (Math.abs(g - w) > RELATIVE_TOLERANCE * Math.abs(w)) {
            fail("value at %s in %s: expected %s, got %s", want.get(0), where, want.get(1), got.get(1));
        }
    }

    private static Map<Map<String, String>, JsonNode> bySeries(JsonNode result) {
        var map = new LinkedHashMap<Map<String, String>, JsonNode>();
        for (JsonNode s : result) {
            var labels = new TreeMap<String, String>();
            s.path("metric").fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
            if (map.put(labels, s) != null) {
                fail("series %s twice in %s", labels, result);
            }
        }
        return map;
    }

    private JsonNode prometheus(String endpoint, Map<String, String> params) throws Exception {
        var form = new ArrayList<String>();
        params.forEach((k, v) -> form.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        var request = HttpRequest.newBuilder(URI.create(prometheus.url() + "/api/v1/" + endpoint))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(String.join("&", form)))
                .timeout(Duration.ofSeconds(30))
                .build();
        return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    private static PrometheusQueryApi.Params p(Map<String, String> params) {
        return name -> params.getOrDefault(name, "");
    }

    private static String seconds(long millis) {
        return PromFormat.timestamp(millis);
    }
}
