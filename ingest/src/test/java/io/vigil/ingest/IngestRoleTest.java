package io.vigil.ingest;

import io.vigil.model.codec.SampleBatchCodec;
import io.vigil.testbed.Await;
import io.vigil.testbed.Kafka;
import io.vigil.testbed.Postgres;
import io.vigil.testbed.WithServices;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The role switch, built by hand as CDI would: the schema everywhere, the consumer only with the ingest role. */
@WithServices({Postgres.class, Kafka.class})
class IngestRoleTest {

    record Config(LayoutChoice layout, String consumerGroup, String topic, int batchRows, Duration batchMaxWait,
                  Duration retention, int premakeDays, Duration maintenanceInterval, Optional<Duration> minuteRollupRetention,
                  Duration hourRollupRetention, Duration rollupInterval, int maxSeriesPerTarget, int maxNewSeriesPerHour,
                  int writers)
            implements IngestConfig {

        static Config forTopic(String topic) {
            return new Config(LayoutChoice.AUTO, "role-test-" + topic, topic, 5000, Duration.ofMillis(100), Duration.ofDays(30), 2,
                    Duration.ofHours(1), Optional.empty(), Duration.ofDays(400), Duration.ofSeconds(30), 20_000, 200_000, 1);
        }
    }

    private final Postgres postgres;
    private final Kafka kafka;

    IngestRoleTest(Postgres postgres, Kafka kafka) {
        this.postgres = postgres;
        this.kafka = kafka;
    }

    @Test
    void withoutTheIngestRoleOnlyTheSchemaIsCreated() {
        var db = TestDb.fresh(postgres, "role_off");
        var role = new IngestRole(db.ds(), Config.forTopic("unused"), Optional.empty(), "collector, rules");

        role.start();
        try {
            assertThat(role.layout()).isInstanceOf(PartitionedLayout.class);
            assertThat(role.consumers()).isEmpty();
            assertThat(db.count("SELECT count(*) FROM pg_class WHERE relname IN ('series', 'samples', 'ingest_offsets',"
                    + " 'samples_1m', 'samples_1h', 'rollup_pending')")).isEqualTo(6);
        } finally {
            role.stop();
        }
    }

    @Test
    void theIngestRoleNeedsKafka() {
        var db = TestDb.fresh(postgres, "role_nokafka");
        var role = new IngestRole(db.ds(), Config.forTopic("unused"), Optional.of(" "), "ingest");

        assertThatThrownBy(role::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("vigil.kafka.bootstrap-servers");
    }

    @Test
    void withTheIngestRoleSamplesFlowFromKafkaToTheStoreUntilShutdown() throws Exception {
        var db = TestDb.fresh(postgres, "role_on");
        String topic = "role-" + UUID.randomUUID();
        var role = new IngestRole(db.ds(), Config.forTopic(topic), Optional.of(kafka.bootstrapServers()), "all");
        role.start();
        IngestConsumer consumer;
        try {
            consumer = role.consumers().getFirst();
            var batch = Batches.scrape("pay", "pay-1", Instant.now().toEpochMilli(), 1);
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topic, batch.partitionKey(), SampleBatchCodec.encode(batch))).get();
            }
            Await.until(Duration.ofSeconds(60), "the batch in the store",
                    () -> db.count("SELECT count(*) FROM samples") == Batches.POINTS_PER_SCRAPE);
        } finally {
            role.stop();
        }
        assertThat(consumer.isRunning()).isFalse();
        assertThat(role.consumers()).isEmpty();
    }

    @Test
    void severalWritersShareThePartitionsAndStoreEveryPointOnce() throws Exception {
        var db = TestDb.fresh(postgres, "role_writers");
        String topic = "writers-" + UUID.randomUUID();
        var base = Config.forTopic(topic);
        var config = new Config(base.layout(), base.consumerGroup(), topic, base.batchRows(), base.batchMaxWait(), base.retention(),
                base.premakeDays(), base.maintenanceInterval(), base.minuteRollupRetention(), base.hourRollupRetention(),
                base.rollupInterval(), base.maxSeriesPerTarget(), base.maxNewSeriesPerHour(), 2);
        var role = new IngestRole(db.ds(), config, Optional.of(kafka.bootstrapServers()), "ingest");
        role.start();
        try {
            assertThat(role.consumers()).hasSize(2);
            long now = Instant.now().toEpochMilli();
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 30; i++) { // 30 targets: their keys spread over the 3 partitions
                    var batch = Batches.scrape("pay", "pay-" + i, now, i);
                    producer.send(new ProducerRecord<>(topic, batch.partitionKey(), SampleBatchCodec.encode(batch))).get();
                }
            }
            Await.until(Duration.ofSeconds(60), "every batch in the store",
                    () -> db.count("SELECT count(*) FROM samples") == 30L * Batches.POINTS_PER_SCRAPE);
            Await.until(Duration.ofSeconds(30), "both writers holding partitions",
                    () -> role.consumers().stream().allMatch(c -> c.assignedPartitions() > 0));
            assertThat(role.consumers().stream().mapToInt(IngestConsumer::assignedPartitions).sum()).isEqualTo(3);
            assertThat(role.consumers().stream().mapToLong(IngestConsumer::pointsWritten).sum()).isEqualTo(30L * Batches.POINTS_PER_SCRAPE);
            assertThat(db.count("SELECT count(*) FROM series")).isEqualTo(30L * Batches.POINTS_PER_SCRAPE);
        } finally {
            role.stop();
        }
    }
}
