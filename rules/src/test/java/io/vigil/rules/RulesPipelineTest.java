package io.vigil.rules;

import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;
import io.vigil.model.codec.SampleBatchCodec;
import io.vigil.testbed.Kafka;
import io.vigil.testbed.Postgres;
import io.vigil.testbed.TestDatabase;
import io.vigil.testbed.WithServices;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules role's loop on the real parts: samples through Kafka, alerts stored in PostgreSQL and
 * published to Kafka, and a rules instance stopped in the middle of an incident.
 */
@WithServices({Postgres.class, Kafka.class})
class RulesPipelineTest {

    private static final Labels REPLICA = Labels.of("cluster", "pay", "instance", "db2:3306", "target", "pay-db2", "kind", "mysql");
    private static final String RULES = """
            rules:
              - name: ReplicationLag
                expr: mysql_replication_lag_seconds > 30
                for: 2s
                recover: "< 5"
                recover_for: 2s
                severity: normal
                annotations:
                  summary: "{{ $labels.instance }} is {{ $value }}s behind"
            """;

    private final Kafka kafka;
    private final TestDatabase db;
    private final String samples = "samples-" + UUID.randomUUID();
    private final String alerts = "alerts-" + UUID.randomUUID();
    private final String group = "rules-" + UUID.randomUUID();
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> alertReader;
    private final List<AlertEvent> received = new ArrayList<>();
    private final List<RulesConsumer> running = new ArrayList<>();
    private final AlertStore store;
    private final RuleRegistry registry;

    RulesPipelineTest(Postgres postgres, Kafka kafka, @TempDir Path dir) throws Exception {
        this.kafka = kafka;
        this.db = TestDatabase.fresh(postgres, "rules");
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(samples, 3, (short) 1), new NewTopic(alerts, 1, (short) 1))).all().get();
        }
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
        alertReader = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        alertReader.subscribe(List.of(alerts));
        store = new AlertStore(db.ds());
        store.ensureSchema();
        var repository = new RuleRepository(db.ds());
        repository.ensureSchema();
        Path file = dir.resolve("replication.yaml");
        Files.writeString(file, RULES);
        registry = new RuleRegistry(List.of(file), false, repository);
        registry.refresh();
    }

    @AfterEach
    void close() {
        running.forEach(RulesConsumer::close);
        producer.close();
        alertReader.close();
    }

    private RulesConsumer start() {
        var settings = new RulesConsumer.Settings(kafka.bootstrapServers(), samples, group, Duration.ofMillis(200),
                Duration.ofSeconds(30), Duration.ofDays(90));
        var health = new io.vigil.rules.health.HealthStore(db.ds());
        try {
            health.ensureSchema();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        var c = new RulesConsumer(settings, store, health, new AlertPublisher(kafka.bootstrapServers(), alerts), registry::snapshot,
                System::currentTimeMillis);
        running.add(c);
        c.start();
        return c;
    }

    private void scrape(double lag) throws Exception {
        var batch = new SampleBatch("pay-db2", System.currentTimeMillis(), REPLICA,
                List.of(new Sample("mysql_replication_lag_seconds", Labels.EMPTY, lag)));
        producer.send(new ProducerRecord<>(samples, batch.partitionKey(), SampleBatchCodec.encode(batch))).get();
    }

    /** Scrapes every 250 ms with {@code lag} until an alert event matches, or fails after 30 s. */
    private AlertEvent scrapeUntil(double lag, Predicate<AlertEvent> wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            scrape(lag);
            for (var r : alertReader.poll(Duration.ofMillis(250))) {
                received.add(AlertPublisher.decode(r.value()));
            }
            for (AlertEvent e : received) {
                if (wanted.test(e)) {
                    return e;
                }
            }
        }
        throw new AssertionError("no such alert event within 30 s; received " + received);
    }

    private void scrapeFor(double lag, Duration d) throws Exception {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            scrape(lag);
            for (var r : alertReader.poll(Duration.ofMillis(250))) {
                received.add(AlertPublisher.decode(r.value()));
            }
        }
    }

    @Test
    void aFiringAlertSurvivesARestartWithoutBeingAnnouncedTwiceAndItsRecoveryIsNotLost() throws Exception {
        RulesConsumer first = start();
        AlertEvent firing = scrapeUntil(40, e -> e.state() == AlertState.FIRING);
        assertThat(firing.labels()).containsEntry("alertname", "ReplicationLag").containsEntry("cluster", "pay")
                .containsEntry("instance", "db2:3306").containsEntry("severity", "normal");
        assertThat(firing.annotations()).containsEntry("summary", "db2:3306 is 40s behind");
        assertThat(firing.previous()).isEqualTo(AlertState.PENDING);
        assertThat(Duration.between(firing.activeAt(), firing.firedAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(db.queryStrings("SELECT state FROM vigil_alerts")).containsExactly("firing");

        // The instance stops mid-incident; the replica catches up while no rules instance runs.
        first.close();
        scrapeFor(40, Duration.ofSeconds(1));
        scrapeFor(1, Duration.ofSeconds(3));

        start(); // takes over the stored alert, replays the window, and judges only then
        AlertEvent resolved = scrapeUntil(1, e -> e.state() == AlertState.RESOLVED);
        assertThat(resolved.fingerprint()).isEqualTo(firing.fingerprint());
        assertThat(resolved.firedAt()).isEqualTo(firing.firedAt());
        assertThat(resolved.value()).isEqualTo(1.0);
        scrapeFor(1, Duration.ofSeconds(1));

        assertThat(received).extracting(e -> e.state().wireName()).containsExactly("pending", "firing", "resolved");
        assertThat(received).extracting(AlertEvent::eventId).isSorted().doesNotHaveDuplicates();
        assertThat(db.queryStrings("SELECT state FROM vigil_alert_history ORDER BY id")).containsExactly("pending", "firing", "resolved");
        assertThat(db.count("SELECT count(*) FROM vigil_alert_history WHERE NOT published")).isZero();
        assertThat(db.count("SELECT count(*) FROM vigil_alerts")).isZero();
    }

    @Test
    void anInstanceThatRestartsWhileTheIncidentLastsStaysQuiet() throws Exception {
        RulesConsumer first = start();
        scrapeUntil(40, e -> e.state() == AlertState.FIRING);
        first.close();
        RulesConsumer second = start();
        scrapeFor(40, Duration.ofSeconds(4));
        assertThat(second.caughtUpWithReplay()).isTrue();
        assertThat(received).extracting(e -> e.state().wireName()).containsExactly("pending", "firing");
        scrapeUntil(1, e -> e.state() == AlertState.RESOLVED);
        assertThat(received).extracting(e -> e.state().wireName()).containsExactly("pending", "firing", "resolved");
    }
}
