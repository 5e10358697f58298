package io.vigil.ingest;

import io.vigil.model.codec.SampleBatchCodec;
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
                  Duration hourRollupRetention, Duration rollupInterval, int maxSeriesPerTarget, int maxNewSeriesPerHour)
            implements IngestConfig {

        static Config forTopic(String topic) {
            return new Config(LayoutChoice.AUTO, "role-test-" + topic, topic, 5000, Duration.ofMillis(100), Duration.ofDays(30), 2,
                    Duration.ofHours(1), Optional.empty(), Duration.ofDays(400), Duration.ofSeconds(30), 20_000, 200_000);
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
            assertThat(role.consumer()).isEmpty();
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
            consumer = role.consumer().orElseThrow();
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
        assertThat(role.consumer()).isEmpty();
    }
}
