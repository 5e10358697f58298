package io.vigil.ingest;

import io.vigil.testbed.Await;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.model.LabelMatcher;
import io.vigil.model.codec.SampleBatchCodec;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module as the server will run it: configuration mapping with its defaults, constructor
 * injection, the schema ensured on startup, the consumer started by the ingest role, and reads
 * through the injected {@link PgSeriesReader}.
 */
@QuarkusTest
@QuarkusTestResource(value = TestBedResource.class, restrictToAnnotatedClass = true)
class IngestWiringTest {

    @Inject
    IngestConfig config;

    @Inject
    IngestRole role;

    @Inject
    PgSeriesReader reader;

    @ConfigProperty(name = "vigil.kafka.bootstrap-servers")
    String bootstrapServers;

    @Test
    void configurationDefaults() {
        assertThat(config.layout()).isEqualTo(LayoutChoice.AUTO);
        assertThat(config.consumerGroup()).isEqualTo("vigil-ingest");
        assertThat(config.batchRows()).isEqualTo(5000);
        assertThat(config.batchMaxWait()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.retention()).isEqualTo(Duration.ofDays(30));
        assertThat(config.premakeDays()).isEqualTo(2);
        assertThat(config.maintenanceInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(config.writers()).isEqualTo(2);
        assertThat(config.maxSeriesPerTarget()).isEqualTo(20_000);
        assertThat(config.maxNewSeriesPerHour()).isEqualTo(200_000);
        assertThat(config.minuteRollupRetention()).isEmpty();
        assertThat(config.hourRollupRetention()).isEqualTo(Duration.ofDays(400));
        assertThat(config.rollupInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void samplesProducedToKafkaAreReadableThroughTheInjectedReader() throws Exception {
        assertThat(role.layout()).isInstanceOf(PartitionedLayout.class);
        assertThat(role.consumers()).hasSize(2);
        long now = Instant.now().toEpochMilli();
        var batch = Batches.scrape("pay", "pay-1", now, 7);
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(config.topic(), batch.partitionKey(), SampleBatchCodec.encode(batch))).get();
        }
        var selector = List.of(LabelMatcher.eq("__name__", "mysql_threads_connected"), LabelMatcher.eq("cluster", "pay"));

        Await.until(Duration.ofSeconds(60), "the point to be readable", () -> !reader.read(selector, now, now).isEmpty());
        assertThat(reader.read(selector, now, now)).singleElement()
                .satisfies(p -> assertThat(p.values()).containsExactly(7.0));
    }
}
