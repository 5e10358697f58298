package io.vigil.server;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vigil.model.Topics;
import io.vigil.testbed.Kafka;
import io.vigil.testbed.Postgres;
import io.vigil.testbed.TestBed;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Targets through the REST API against real PostgreSQL, Kafka and MariaDB: CRUD and its errors,
 * the password never shown, logged, stored or published in plaintext, and a target created
 * through the API scraped until it is deleted.
 */
@QuarkusTest
@QuarkusTestResource(value = TargetsTestResource.class, restrictToAnnotatedClass = true)
class TargetsApiTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** Not the MariaDB password: used for targets that are never reached. */
    private static final String UNREACHED_PASSWORD = "Api-Only-Pw-" + UUID.randomUUID();
    private static final ConcurrentLinkedQueue<String> LOGGED = new ConcurrentLinkedQueue<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord r) {
            // Message, parameters and stack trace: a password in any of them is a leak.
            LOGGED.add(r.getMessage() + " " + Arrays.toString(r.getParameters()) + " " + (r.getThrown() == null ? "" : r.getThrown().toString()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void captureLogs() {
        Logger.getLogger("").addHandler(CAPTURE);
    }

    @AfterAll
    static void noPasswordWasLogged() {
        Logger.getLogger("").removeHandler(CAPTURE);
        assertThat(LOGGED).as("the capture works").anyMatch(l -> l.contains("created through the API"));
        assertThat(LOGGED).noneMatch(l -> l.contains(UNREACHED_PASSWORD) || l.contains(FleetTestResource.MONITOR_PASSWORD));
    }

    private RequestSpecification api() {
        return given().baseUri(base.toString()).contentType(ContentType.JSON);
    }

    private static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, Object> definition(String id, String address, String password) {
        var body = new java.util.LinkedHashMap<String, Object>(Map.of(
                "id", id, "kind", "mysql", "address", address, "cluster", "api", "user", "vigil",
                "interval", "1s", "timeout", "1s", "labels", Map.of("service", "checkout")));
        if (password != null) {
            body.put("password", password);
        }
        return body;
    }

    @Test
    void crudWithConflictsAndUnknownIdsAndAWriteOnlyPassword() {
        String id = id("crud");
        // Port 1 on loopback: refused at once, the target is simply down.
        var created = api().body(definition(id, "127.0.0.1:1", UNREACHED_PASSWORD)).post("/api/v1/targets")
                .then().statusCode(201).header("Location", org.hamcrest.Matchers.endsWith("/api/v1/targets/" + id)).extract();
        JsonPath body = created.jsonPath();
        assertThat(body.getString("id")).isEqualTo(id);
        assertThat(body.getString("interval")).isEqualTo("1s");
        assertThat(body.getMap("labels")).containsEntry("service", "checkout");
        assertThat(body.getBoolean("password_set")).isTrue();
        assertThat(body.getMap("")).doesNotContainKey("password");
        assertThat(created.asString()).doesNotContain(UNREACHED_PASSWORD);

        api().body(definition(id, "127.0.0.1:2", null)).post("/api/v1/targets")
                .then().statusCode(409).body("error", org.hamcrest.Matchers.containsString("target " + id + " already exists"));

        String one = api().get("/api/v1/targets/" + id).then().statusCode(200).extract().asString();
        String all = api().get("/api/v1/targets").then().statusCode(200).extract().asString();
        assertThat(JsonPath.from(all).getList("id", String.class)).contains(id);
        assertThat(one + all).doesNotContain(UNREACHED_PASSWORD);

        // At rest: the definition without the password, the password only as ciphertext.
        String row = postgres("SELECT definition::text || ' ' || encode(password_encrypted, 'escape') FROM targets WHERE id = '" + id + "'");
        assertThat(row).contains("\"address\": \"127.0.0.1:1\"").doesNotContain(UNREACHED_PASSWORD).doesNotContain("password\"");

        // An update without a password keeps the stored one; the id cannot change.
        JsonPath updated = api().body(Map.of("kind", "mysql", "address", "127.0.0.1:3", "labels", Map.of("team", "dba")))
                .put("/api/v1/targets/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(updated.getString("address")).isEqualTo("127.0.0.1:3");
        assertThat(updated.getString("interval")).isEqualTo("10s");
        assertThat(updated.getBoolean("password_set")).isTrue();
        JsonPath cleared = api().body(Map.of("kind", "mysql", "address", "127.0.0.1:3", "password", ""))
                .put("/api/v1/targets/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(cleared.getBoolean("password_set")).isFalse();
        api().body(Map.of("id", "other", "kind", "mysql", "address", "127.0.0.1:3")).put("/api/v1/targets/" + id)
                .then().statusCode(400).body("problems[0].field", org.hamcrest.Matchers.equalTo("id"));

        String unknown = id("nobody");
        api().get("/api/v1/targets/" + unknown).then().statusCode(404)
                .body("error", org.hamcrest.Matchers.equalTo("target " + unknown + " does not exist"));
        api().body(definition(unknown, "127.0.0.1:1", null)).put("/api/v1/targets/" + unknown).then().statusCode(404);
        api().delete("/api/v1/targets/" + unknown).then().statusCode(404);

        api().delete("/api/v1/targets/" + id).then().statusCode(204);
        api().get("/api/v1/targets/" + id).then().statusCode(404);
        api().delete("/api/v1/targets/" + id).then().statusCode(404);
        assertThat(postgres("SELECT count(*) FROM targets WHERE id = '" + id + "'").strip()).isEqualTo("0");

        // On Kafka: the encrypted password, never the plaintext; the delete is a tombstone.
        List<String> published = awaitRecords(id, values -> values.size() >= 4 && values.getLast() == null);
        assertThat(published.getFirst()).contains("\"password_encrypted\"").doesNotContain(UNREACHED_PASSWORD);
        assertThat(published).allSatisfy(v -> assertThat(v == null ? "" : v).doesNotContain(UNREACHED_PASSWORD));
    }

    @Test
    void invalidTargetsAreA400ListingEveryProblemByField() {
        var body = Map.of("kind", "oracle", "address", "nohost", "interval", "5s", "timeout", "10s", "colour", "blue",
                "labels", Map.of("__reserved", "x"), "password", 12345);
        JsonPath problems = api().body(body).post("/api/v1/targets").then().statusCode(400).extract().jsonPath();

        Map<String, String> byField = new java.util.HashMap<>();
        List<Map<String, String>> list = problems.getList("problems");
        list.forEach(p -> byField.put(p.get("field"), p.get("message")));
        assertThat(byField).containsKeys("id", "kind", "address", "timeout", "colour", "labels.__reserved", "password");
        assertThat(byField.get("id")).isEqualTo("required");
        assertThat(byField.get("kind")).contains("unknown target kind 'oracle'");
        assertThat(byField.get("address")).isEqualTo("'nohost' must be host:port");
        assertThat(byField.get("timeout")).isEqualTo("10s is longer than the interval 5s");
        assertThat(byField.get("colour")).startsWith("unknown field");
        assertThat(byField.get("password")).isEqualTo("expected a string");
        assertThat(problems.prettify()).doesNotContain("12345");

        // A containers target reads the cgroups of whichever collector owns it: only a host's own targets file may define it.
        api().body(Map.of("id", "node-1-containers", "kind", "containers", "address", "/sys/fs/cgroup")).post("/api/v1/targets")
                .then().statusCode(400).body("problems[0].field", org.hamcrest.Matchers.equalTo("kind"))
                .body("problems[0].message", org.hamcrest.Matchers.containsString("define them in the targets file of the collector on that host"));

        api().body("[1, 2]").post("/api/v1/targets").then().statusCode(400).body("problems[0].field", org.hamcrest.Matchers.equalTo(""));
    }

    @Test
    void aTargetCreatedThroughTheApiIsScrapedAndStopsWhenDeleted() {
        String id = id("live");
        String up = "up{target=\"" + id + "\"}";
        api().body(definition(id, FleetTestResource.instance(), FleetTestResource.MONITOR_PASSWORD)).post("/api/v1/targets")
                .then().statusCode(201).body("password_set", org.hamcrest.Matchers.equalTo(true));

        // up = 1 proves the collector decrypted the password: MariaDB refuses the user without it.
        JsonPath live = await(() -> query(up), a -> "1".equals(a.getString("data.result[0].value[1]")), "up = 1 for " + id);
        assertThat(live.getMap("data.result[0].metric")).containsEntry("cluster", "api").containsEntry("service", "checkout");
        assertThat(live.prettify()).doesNotContain(FleetTestResource.MONITOR_PASSWORD);

        api().delete("/api/v1/targets/" + id).then().statusCode(204);

        // A staleness marker ends the series at once, not after the five-minute lookback.
        await(() -> query(up), a -> a.getList("data.result").isEmpty(), "no up for " + id + " after its deletion");
    }

    private JsonPath query(String promql) {
        return given().baseUri(base.toString()).queryParam("query", promql).get("/api/v1/query")
                .then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath await(Supplier<JsonPath> ask, Predicate<JsonPath> done, String what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        JsonPath last = null;
        while (System.nanoTime() < deadline) {
            last = ask.get();
            if (done.test(last)) {
                return last;
            }
            pause();
        }
        throw new AssertionError("no " + what + " within " + DEADLINE.toSeconds() + " s; last answer: " + (last == null ? null : last.prettify()));
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    private static String postgres(String sql) {
        return TestBed.get(Postgres.class).sql(TargetsTestResource.DATABASE, sql);
    }

    /** The values of {@code vigil.targets} under the key, oldest first (null for a tombstone), once {@code done} holds. */
    private static List<String> awaitRecords(String key, Predicate<List<String>> done) {
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBed.get(Kafka.class).bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(Topics.TARGETS).stream().map(p -> new TopicPartition(Topics.TARGETS, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var values = new ArrayList<String>();
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(r.key())) {
                        values.add(r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8));
                    }
                }
                if (done.test(values)) {
                    return values;
                }
            }
            throw new AssertionError("records of " + key + " on " + Topics.TARGETS + " within " + DEADLINE.toSeconds() + " s: " + values);
        }
    }
}
