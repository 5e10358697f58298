package io.vigil.server;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.logs.wire.LogBatch;
import io.vigil.logs.wire.LogBatchJson;
import io.vigil.logs.wire.LogKind;
import io.vigil.testbed.Kafka;
import io.vigil.testbed.MariaDb;
import io.vigil.testbed.Postgres;
import io.vigil.testbed.TestBed;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Vigil with a logs file: the collector role tails the test MariaDB's slow log into Kafka and counts it. */
@QuarkusTest
@QuarkusTestResource(value = LogShippingTest.Fleet.class, restrictToAnnotatedClass = true)
class LogShippingTest {

    static final String TOPIC = "logs-e2e-" + UUID.randomUUID();

    /** PostgreSQL, Kafka and a MariaDB from the test bed; a logs file naming the MariaDB's slow log. */
    public static class Fleet implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            Postgres postgres = TestBed.get(Postgres.class);
            Kafka kafka = TestBed.get(Kafka.class);
            MariaDb mariaDb = TestBed.get(MariaDb.class);
            try {
                Path dir = Files.createTempDirectory("vigil-logs-e2e");
                Path logs = dir.resolve("logs.yaml");
                Files.writeString(logs, """
                        host: e2e-host
                        files:
                          - {path: %s, kind: slow, instance: 127.0.0.1:%d, cluster: logs-e2e}
                        """.formatted(mariaDb.slowLogPath(), mariaDb.port()));
                return Map.of(
                        "quarkus.datasource.jdbc.url", postgres.createDatabase("vigil_logs_e2e"),
                        "quarkus.datasource.username", postgres.user(),
                        "vigil.kafka.bootstrap-servers", kafka.bootstrapServers(),
                        "vigil.roles", "collector",
                        "vigil.collector.logs.file", logs.toString(),
                        "vigil.collector.logs.state-dir", dir.resolve("state").toString(),
                        "vigil.collector.logs.topic", TOPIC,
                        "vigil.collector.logs.poll-interval", "100ms",
                        "vigil.collector.logs.quiet-period", "300ms");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
            // The test bed stops its services at JVM exit; other test classes may still use them.
        }
    }

    @Test
    void theSlowLogOfTheMariaDbArrivesInKafkaAndIsCounted() {
        String marker = "e2e-" + UUID.randomUUID();
        TestBed.get(MariaDb.class).sql("SET long_query_time = 0; SELECT '" + marker + "' AS m");
        LogBatch batch = null;
        String key = null;
        try (var consumer = consumer()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (batch == null && System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    LogBatch b = LogBatchJson.decode(r.value());
                    if (b.slow().stream().anyMatch(q -> q.entry().query().contains(marker))) {
                        batch = b;
                        key = r.key();
                    }
                }
            }
        }
        assertThat(batch).as("a batch with the marked statement on " + TOPIC).isNotNull();
        assertThat(batch.source().kind()).isEqualTo(LogKind.SLOW);
        assertThat(batch.source().cluster()).isEqualTo("logs-e2e");
        assertThat(key).isEqualTo("e2e-host:" + TestBed.get(MariaDb.class).slowLogPath());

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metricValue(metrics, "vigil_collector_logs_slow_queries_shipped_total")).isGreaterThanOrEqualTo(1);
        assertThat(metricValue(metrics, "vigil_collector_logs_batches_shipped_total")).isGreaterThanOrEqualTo(1);
        assertThat(metricValue(metrics, "vigil_collector_logs_send_failures_total")).isZero();
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBed.get(Kafka.class).bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + TOPIC);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(TOPIC));
        return consumer;
    }

    private static double metricValue(String exposition, String name) {
        return exposition.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .orElseThrow(() -> new AssertionError(name + " not in /q/metrics"));
    }
}
