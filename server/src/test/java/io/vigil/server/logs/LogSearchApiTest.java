package io.vigil.server.logs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.vigil.logs.errorlog.ErrorLogEvent;
import io.vigil.logs.fingerprint.QueryId;
import io.vigil.logs.slowlog.SlowLogEntry;
import io.vigil.logs.wire.LogBatch;
import io.vigil.logs.wire.LogBatchJson;
import io.vigil.logs.wire.LogKind;
import io.vigil.logs.wire.LogSource;
import io.vigil.logs.wire.ShippedSlowQuery;
import io.vigil.model.Topics;
import io.vigil.testbed.Kafka;
import io.vigil.testbed.TestBed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The four log-search endpoints on data shipped through vigil.logs, indexed by the logs role into a real
 * Elasticsearch. Every expected number is computed here from the same input the test ships.
 */
@QuarkusTest
@QuarkusTestResource(value = LogsTestResource.class, restrictToAnnotatedClass = true)
class LogSearchApiTest {

    static final Instant BASE = Instant.parse("2026-11-20T10:00:00Z");
    static final String FROM = BASE.toString();
    static final String TO = BASE.plus(Duration.ofHours(1)).toString();
    static final String DB1 = "db-1:3306";
    static final String DB2 = "db-2:3306";
    static final String EVIL = "SELECT '<script>alert(1)</script>', \"x\\\"; DROP TABLE users; --\" FROM dual WHERE a = 'it''s'";
    static final String EVIL_MESSAGE = "<script>alert(1)</script> \"; DROP TABLE users; --";

    /** One shipped slow query, as the test knows it. */
    record Q(String fingerprint, String instance, String cluster, String schema, String user, Instant time, double seconds,
             String query) {
        String id() {
            return QueryId.of(fingerprint);
        }
    }

    static final List<Q> QUERIES = new ArrayList<>();
    static final List<ErrorLogEvent> DB1_ERRORS = new ArrayList<>();
    static final List<ErrorLogEvent> DB2_ERRORS = new ArrayList<>();

    static {
        String a = "select * from orders where id = ?";
        for (int i = 0; i < 10; i++) { // 0.5 … 1.4 s, every 3 minutes
            QUERIES.add(new Q(a, DB1, "pay", "pay", "app", BASE.plus(Duration.ofMinutes(3L * i)), 0.5 + 0.1 * i,
                    "SELECT * FROM orders WHERE id = " + (1000 + i)));
        }
        String b = "update stock set n = n - ? where sku = ?";
        QUERIES.add(new Q(b, DB1, "pay", "pay", "app", BASE.plus(Duration.ofMinutes(5)), 1.0, "UPDATE stock SET n = n - 1 WHERE sku = 'a'"));
        QUERIES.add(new Q(b, DB1, "pay", "pay", "app", BASE.plus(Duration.ofMinutes(6)), 1.0, "UPDATE stock SET n = n - 1 WHERE sku = 'b'"));
        QUERIES.add(new Q(b, DB1, "pay", "pay", "app", BASE.plus(Duration.ofMinutes(20)), 9.0, "UPDATE stock SET n = n - 9 WHERE sku = 'c'"));
        String c = "select sleep(?)";
        for (int i = 0; i < 20; i++) {
            QUERIES.add(new Q(c, DB2, "shop", "shop2", "batch", BASE.plus(Duration.ofSeconds(30L * i)), 0.3, "SELECT SLEEP(0.3)"));
        }
        String d = "select ?, ? from dual where a = ?";
        QUERIES.add(new Q(d, DB1, "pay", "pay", "app", BASE.plus(Duration.ofMinutes(10)), 4.0, EVIL));
        QUERIES.add(new Q(d, DB1, "pay", "pay", "app", BASE.plus(Duration.ofMinutes(25)), 4.5, EVIL));

        DB1_ERRORS.add(error(5, "ERROR", "MY-010055", "Access denied for user 'app'@'10.0.0.7' (using password: YES)", 100));
        DB1_ERRORS.add(error(6, "Warning", "MY-010914",
                "Aborted connection 77 to db: 'shop' user: 'app' host: '10.0.0.7' (Got an error reading communication packets)", 200));
        DB1_ERRORS.add(error(7, "ERROR", null, "InnoDB: Transaction was aborted due to Deadlock", 300));
        DB1_ERRORS.add(error(40, "Note", null, EVIL_MESSAGE, 400));
        DB2_ERRORS.add(error(5, "ERROR", "MY-010055", "Access denied for user 'batch'@'10.0.0.8' (using password: YES)", 100));
    }

    static ErrorLogEvent error(int minute, String severity, String code, String message, long offset) {
        return new ErrorLogEvent(LocalDateTime.ofInstant(BASE.plus(Duration.ofMinutes(minute)), ZoneOffset.UTC), 12, severity,
                code, code == null ? null : "Server", message, ErrorLogEvent.Kind.MESSAGE, offset);
    }

    /** Floating-point numbers as doubles: RestAssured's default, float, would round them. */
    private static final JsonPathConfig DOUBLES = new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE);
    private static boolean shipped;

    /** Once per class; in a @BeforeEach because RestAssured knows the application's port only from there. */
    @BeforeEach
    void shipAndWaitUntilSearchable() throws Exception {
        if (shipped) {
            return;
        }
        shipped = true;
        var p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBed.get(Kafka.class).bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<String, byte[]>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (String instance : List.of(DB1, DB2)) {
                String host = instance.substring(0, instance.indexOf(':'));
                var slow = new ArrayList<ShippedSlowQuery>();
                long offset = 0;
                for (Q q : QUERIES) {
                    if (q.instance().equals(instance)) {
                        var entry = new SlowLogEntry(q.time(), q.user(), "web-1", "10.0.0.7", 42, q.schema(), q.seconds(), 0.001,
                                1, 100, 0, 50, Map.of(), q.query(), offset += 1000);
                        slow.add(new ShippedSlowQuery(entry, q.fingerprint(), q.id(), q.query().getBytes(StandardCharsets.UTF_8).length));
                    }
                }
                String cluster = instance.equals(DB1) ? "pay" : "shop";
                var slowSource = new LogSource(host, cluster, instance, LogKind.SLOW, "/var/log/mysql/slow.log");
                // Two records per file, the second one delivered twice: the redelivery must not count twice.
                int half = slow.size() / 2;
                var first = new LogBatch(slowSource, "2049:1", 0, 1, slow.subList(0, half), null, null, null);
                var second = new LogBatch(slowSource, "2049:1", 1, 2, slow.subList(half, slow.size()), null, null, null);
                var errorSource = new LogSource(host, cluster, instance, LogKind.ERROR, "/var/log/mysql/error.log");
                var errors = new LogBatch(errorSource, "2049:2", 0, 500, null, instance.equals(DB1) ? DB1_ERRORS : DB2_ERRORS, null, null);
                for (LogBatch batch : List.of(first, second, second, errors)) {
                    producer.send(new ProducerRecord<>(Topics.LOGS, batch.source().key(), LogBatchJson.encode(batch))).get();
                }
            }
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            var top = given().queryParam("from", FROM).queryParam("to", TO).get("/api/v1/slowlog/top");
            var errors = given().queryParam("from", FROM).queryParam("to", TO).get("/api/v1/errors");
            if (top.statusCode() == 200 && errors.statusCode() == 200 && top.jsonPath().getLong("totalCount") == QUERIES.size()
                    && errors.jsonPath().getLong("total") == DB1_ERRORS.size() + DB2_ERRORS.size()) {
                return;
            }
            assertThat(System.nanoTime()).as("indexed in time: top %s, errors %s", top.asString(), errors.asString()).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    // ---- /api/v1/slowlog/top ----

    @Test
    void topRanksClassesBySumCountAverageAndP95AsComputedFromTheInput() {
        for (String order : List.of("sum", "count", "avg", "p95")) {
            ToDoubleFunction<List<Double>> measure = switch (order) {
                case "sum" -> times -> times.stream().mapToDouble(Double::doubleValue).sum();
                case "count" -> List::size;
                case "avg" -> times -> times.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                default -> times -> percentile(times, 95);
            };
            var expected = expectedRanking(QUERIES, measure);
            JsonPath top = top(Map.of("order", order));
            assertThat(top.getList("classes.queryId", String.class)).as("ranking by " + order).containsExactlyElementsOf(expected.keySet());
            for (int i = 0; i < expected.size(); i++) {
                String id = top.getString("classes[" + i + "].queryId");
                List<Double> times = times(QUERIES, id);
                assertThat(top.getLong("classes[" + i + "].count")).isEqualTo(times.size());
                assertThat(top.getDouble("classes[" + i + "].totalSeconds")).isCloseTo(sum(times), within(1e-9));
                assertThat(top.getDouble("classes[" + i + "].avgSeconds")).isCloseTo(sum(times) / times.size(), within(1e-9));
                assertThat(top.getDouble("classes[" + i + "].p95Seconds")).as("p95 of " + times).isCloseTo(percentile(times, 95), within(1e-6));
                assertThat(top.getDouble("classes[" + i + "].maxSeconds")).isEqualTo(times.stream().mapToDouble(x -> x).max().orElseThrow());
            }
        }
    }

    @Test
    void topFiltersByClusterInstanceSchemaAndUserAndHonoursTheLimit() {
        assertThat(top(Map.of("cluster", "shop")).getList("classes.queryId", String.class))
                .containsExactly(QueryId.of("select sleep(?)"));
        assertThat(top(Map.of("user", "batch", "schema", "shop2")).getLong("totalCount")).isEqualTo(20);
        var db1 = QUERIES.stream().filter(q -> q.instance().equals(DB1)).toList();
        assertThat(top(Map.of("instance", DB1)).getList("classes.queryId", String.class))
                .containsExactlyElementsOf(expectedRanking(db1, LogSearchApiTest::sum).keySet());
        assertThat(top(Map.of("limit", "2")).getList("classes.queryId", String.class))
                .containsExactlyElementsOf(expectedRanking(QUERIES, LogSearchApiTest::sum).keySet().stream().limit(2).toList());
        JsonPath half = top(Map.of("to", BASE.plus(Duration.ofMinutes(15)).toString()));
        assertThat(half.getLong("totalCount")).isEqualTo(QUERIES.stream().filter(q -> q.time().isBefore(BASE.plus(Duration.ofMinutes(15)))).count());
        assertThat(half.getDouble("totalSeconds")).isCloseTo(
                QUERIES.stream().filter(q -> q.time().isBefore(BASE.plus(Duration.ofMinutes(15)))).mapToDouble(Q::seconds).sum(), within(1e-9));
    }

    @Test
    void hostileQueryTextComesBackVerbatimAsJsonDataAndFiltersStayExact() {
        var response = given().queryParam("from", FROM).queryParam("to", TO).queryParam("order", "avg").get("/api/v1/slowlog/top");
        response.then().statusCode(200).contentType("application/json").header("X-Content-Type-Options", "nosniff");
        JsonPath top = response.jsonPath().using(DOUBLES);
        assertThat(top.getString("classes[0].queryId")).isEqualTo(QueryId.of("select ?, ? from dual where a = ?"));
        assertThat(top.getString("classes[0].slowest.query")).isEqualTo(EVIL);
        // Values that would change a query if they were spliced into query syntax match nothing here.
        for (String hostile : List.of("pay' OR '1'='1", "*", "pay\" OR cluster:*", EVIL, "pay OR shop")) {
            assertThat(top(Map.of("cluster", hostile)).getLong("totalCount")).as("cluster=" + hostile).isZero();
            assertThat(top(Map.of("user", hostile)).getLong("totalCount")).as("user=" + hostile).isZero();
        }
        JsonPath errors = errors(Map.of("severity", "note"));
        assertThat(errors.getString("events[0].message")).isEqualTo(EVIL_MESSAGE);
        assertThat(errors(Map.of("text", "* OR message:*")).getLong("total")).isZero();
        assertThat(errors(Map.of("text", "\"; DROP TABLE")).getList("events.message", String.class)).containsExactly(EVIL_MESSAGE);
    }

    // ---- /api/v1/slowlog/fingerprints/{id} ----

    @Test
    void aFingerprintHasItsStatsHistogramAndSlowestSamples() {
        String a = "select * from orders where id = ?";
        List<Double> times = times(QUERIES, QueryId.of(a));
        JsonPath r = given().queryParam("from", FROM).queryParam("to", TO).queryParam("interval", "10m").queryParam("samples", "3")
                .get("/api/v1/slowlog/fingerprints/" + QueryId.of(a).toLowerCase()).then().statusCode(200).extract().jsonPath().using(DOUBLES);

        assertThat(r.getString("fingerprint")).isEqualTo(a);
        assertThat(r.getLong("stats.count")).isEqualTo(10);
        assertThat(r.getDouble("stats.totalSeconds")).isCloseTo(sum(times), within(1e-9));
        assertThat(r.getDouble("stats.minSeconds")).isCloseTo(0.5, within(1e-9));
        assertThat(r.getDouble("stats.maxSeconds")).isCloseTo(1.4, within(1e-9));
        assertThat(r.getDouble("stats.p95Seconds")).isCloseTo(percentile(times, 95), within(1e-6));
        assertThat(r.getLong("intervalSeconds")).isEqualTo(600);
        // 6 buckets of 10 minutes; queries every 3 minutes from BASE.
        var expectedCounts = new ArrayList<Long>();
        var expectedSums = new ArrayList<Double>();
        for (int b = 0; b < 6; b++) {
            Instant start = BASE.plus(Duration.ofMinutes(10L * b));
            var in = QUERIES.stream().filter(q -> q.fingerprint().equals(a) && !q.time().isBefore(start)
                    && q.time().isBefore(start.plus(Duration.ofMinutes(10)))).toList();
            expectedCounts.add((long) in.size());
            expectedSums.add(in.stream().mapToDouble(Q::seconds).sum());
        }
        assertThat(r.getList("histogram.start", String.class)).hasSize(6).first().isEqualTo(FROM);
        assertThat(r.getList("histogram.count", Long.class)).containsExactlyElementsOf(expectedCounts);
        for (int b = 0; b < 6; b++) {
            assertThat(r.getDouble("histogram[" + b + "].totalSeconds")).isCloseTo(expectedSums.get(b), within(1e-9));
        }
        assertThat(r.getList("samples.query", String.class)).containsExactly(
                "SELECT * FROM orders WHERE id = 1009", "SELECT * FROM orders WHERE id = 1008", "SELECT * FROM orders WHERE id = 1007");
        assertThat(r.getList("samples.instance", String.class)).containsOnly(DB1);
    }

    @Test
    void anUnknownFingerprintIs404AndAMalformedOne400() {
        given().queryParam("from", FROM).queryParam("to", TO).get("/api/v1/slowlog/fingerprints/" + QueryId.of("select nothing"))
                .then().statusCode(404).contentType("application/json");
        given().get("/api/v1/slowlog/fingerprints/not-a-query-id").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.startsWith("id: "));
        given().queryParam("from", FROM).queryParam("to", TO).queryParam("interval", "1s")
                .get("/api/v1/slowlog/fingerprints/" + QueryId.of("select sleep(?)")).then().statusCode(400)
                .body("error", org.hamcrest.Matchers.containsString("buckets"));
    }

    // ---- /api/v1/errors ----

    @Test
    void errorsAreFoundBySeverityCodeWordsAndInstanceNewestFirst() {
        JsonPath all = errors(Map.of());
        assertThat(all.getLong("total")).isEqualTo(5);
        assertThat(all.getString("events[0].message")).isEqualTo(EVIL_MESSAGE);

        JsonPath severe = errors(Map.of("severity", "ERROR"));
        assertThat(severe.getList("events.severity", String.class)).containsOnly("error").hasSize(3);
        assertThat(severe.getString("events[0].message")).isEqualTo("InnoDB: Transaction was aborted due to Deadlock");

        assertThat(errors(Map.of("code", "MY-010055")).getList("events.instance", String.class)).containsExactlyInAnyOrder(DB1, DB2);
        assertThat(errors(Map.of("text", "access denied", "instance", DB1)).getList("events.message", String.class))
                .containsExactly(DB1_ERRORS.getFirst().message());
        assertThat(errors(Map.of("text", "aborted")).getLong("total")).isEqualTo(2);
        assertThat(errors(Map.of("severity", "warning,note")).getLong("total")).isEqualTo(2);
        assertThat(errors(Map.of("limit", "1")).getList("events")).hasSize(1);
    }

    // ---- /api/v1/slowlog/around ----

    @Test
    void aroundAMomentShowsTheInstancesSlowQueriesAndErrors() {
        Instant at = BASE.plus(Duration.ofMinutes(6));
        JsonPath r = given().queryParam("instance", DB1).queryParam("time", at.toString()).queryParam("window", "2m")
                .get("/api/v1/slowlog/around").then().statusCode(200).extract().jsonPath().using(DOUBLES);

        var expected = QUERIES.stream().filter(q -> q.instance().equals(DB1) && !q.time().isBefore(at.minus(Duration.ofMinutes(2)))
                && q.time().isBefore(at.plus(Duration.ofMinutes(2)))).sorted(Comparator.comparingDouble(Q::seconds).reversed()
                .thenComparing(Q::time)).toList();
        assertThat(r.getLong("slowQueries.total")).isEqualTo(expected.size());
        assertThat(r.getList("slowQueries.slowest.query", String.class)).containsExactlyElementsOf(expected.stream().map(Q::query).toList());
        assertThat(r.getList("slowQueries.topClasses.queryId", String.class))
                .containsExactlyElementsOf(expectedRanking(expected, LogSearchApiTest::sum).keySet());
        assertThat(r.getList("errors.events.message", String.class)).containsExactly(DB1_ERRORS.get(2).message(),
                DB1_ERRORS.get(1).message(), DB1_ERRORS.get(0).message());
        assertThat(r.getString("window.from")).isEqualTo(at.minus(Duration.ofMinutes(2)).toString());
    }

    // ---- bad parameters ----

    @Test
    void badParametersAre400WithWhatIsWrong() {
        expect400("/api/v1/slowlog/top", Map.of("from", "yesterday"), "from: ");
        expect400("/api/v1/slowlog/top", Map.of("since", "a while"), "since: ");
        expect400("/api/v1/slowlog/top", Map.of("order", "median"), "order: ");
        expect400("/api/v1/slowlog/top", Map.of("limit", "0"), "limit: ");
        expect400("/api/v1/slowlog/top", Map.of("from", TO, "to", FROM), "from: ");
        expect400("/api/v1/errors", Map.of("severity", "fatal"), "severity: ");
        expect400("/api/v1/errors", Map.of("text", "x".repeat(1001)), "text: ");
        expect400("/api/v1/slowlog/around", Map.of("time", FROM), "instance: ");
        expect400("/api/v1/slowlog/around", Map.of("instance", DB1), "time: ");
        expect400("/api/v1/slowlog/around", Map.of("instance", DB1, "time", FROM, "window", "3d"), "window: ");
    }

    private static void expect400(String path, Map<String, String> params, String startsWith) {
        given().queryParams(params).get(path).then().statusCode(400).contentType("application/json")
                .body("error", org.hamcrest.Matchers.startsWith(startsWith));
    }

    // ---- expectations computed from the input ----

    private static JsonPath top(Map<String, String> params) {
        var all = new LinkedHashMap<String, String>(Map.of("from", FROM, "to", TO));
        all.putAll(params);
        return given().queryParams(all).get("/api/v1/slowlog/top").then().statusCode(200).extract().jsonPath().using(DOUBLES);
    }

    private static JsonPath errors(Map<String, String> params) {
        var all = new LinkedHashMap<String, String>(Map.of("from", FROM, "to", TO));
        all.putAll(params);
        return given().queryParams(all).get("/api/v1/errors").then().statusCode(200).extract().jsonPath().using(DOUBLES);
    }

    /** Query ids, highest measure first (ties by id), with the measure. */
    private static LinkedHashMap<String, Double> expectedRanking(List<Q> queries, ToDoubleFunction<List<Double>> measure) {
        var ids = queries.stream().map(Q::id).distinct().toList();
        var ranked = new LinkedHashMap<String, Double>();
        ids.stream().sorted(Comparator.comparingDouble((String id) -> measure.applyAsDouble(times(queries, id))).reversed()
                        .thenComparing(Comparator.naturalOrder()))
                .forEach(id -> ranked.put(id, measure.applyAsDouble(times(queries, id))));
        return ranked;
    }

    private static List<Double> times(List<Q> queries, String id) {
        return queries.stream().filter(q -> q.id().equals(id)).map(Q::seconds).toList();
    }

    private static double sum(List<Double> times) {
        return times.stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Linear interpolation between the closest ranks, as Elasticsearch's t-digest does for small samples. */
    static double percentile(List<Double> values, double percent) {
        var sorted = values.stream().sorted().toList();
        double rank = percent / 100 * (sorted.size() - 1);
        int low = (int) Math.floor(rank);
        int high = Math.min(low + 1, sorted.size() - 1);
        return sorted.get(low) + (rank - low) * (sorted.get(high) - sorted.get(low));
    }
}
