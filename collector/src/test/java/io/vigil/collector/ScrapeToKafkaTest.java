package io.vigil.collector;

import io.vigil.collector.mysql.MySqlScraperFactory;
import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;
import io.vigil.model.Secret;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import io.vigil.model.codec.SampleBatchCodec;
import io.vigil.testbed.Kafka;
import io.vigil.testbed.MariaDb;
import io.vigil.testbed.WithServices;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Scheduler + MySQL scraper + Kafka publisher against a real MariaDB and a real Kafka broker. */
@WithServices({MariaDb.class, Kafka.class})
class ScrapeToKafkaTest {

    @Test
    void scrapesArePublishedKeyedByClusterAndDownTargetsStillReport(MariaDb mariaDb, Kafka kafka) {
        String topic = "samples-" + UUID.randomUUID();
        var up = new Target("db-up", TargetKind.MYSQL, "127.0.0.1:" + mariaDb.port(), "orders", mariaDb.rootUser(), Secret.NONE,
                Duration.ofMillis(500), Duration.ofMillis(400), Labels.of("team", "dba"));
        var down = new Target("db-down", TargetKind.MYSQL, "127.0.0.1:1", null, "x", Secret.of("pw"),
                Duration.ofMillis(500), Duration.ofMillis(400), Labels.EMPTY);

        List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();
        try (var publisher = new KafkaSamplePublisher(kafka.bootstrapServers(), topic);
             var scheduler = new ScrapeScheduler(List.of(new MySqlScraperFactory()), publisher);
             var consumer = consumer(kafka, topic)) {
            scheduler.start(List.of(up, down));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && !(hasQps(received, "db-up") && has(received, "db-down"))) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }

        assertThat(hasQps(received, "db-up")).as("a batch of db-up with mysql_qps").isTrue();
        ConsumerRecord<String, byte[]> upRecord = received.stream().filter(r -> decode(r).targetId().equals("db-up")).findFirst().orElseThrow();
        assertThat(upRecord.key()).isEqualTo("orders");
        SampleBatch upBatch = decode(upRecord);
        assertThat(value(upBatch, "up")).isEqualTo(1.0);
        assertThat(upBatch.labels().asMap()).containsEntry("cluster", "orders").containsEntry("team", "dba");

        ConsumerRecord<String, byte[]> downRecord = received.stream().filter(r -> decode(r).targetId().equals("db-down")).findFirst().orElseThrow();
        assertThat(downRecord.key()).as("no cluster: keyed by target").isEqualTo("db-down");
        assertThat(value(decode(downRecord), "up")).isZero();
    }

    private static KafkaConsumer<String, byte[]> consumer(Kafka kafka, String topic) {
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static SampleBatch decode(ConsumerRecord<String, byte[]> r) {
        return SampleBatchCodec.decode(r.value());
    }

    private static boolean has(List<ConsumerRecord<String, byte[]>> records, String target) {
        return records.stream().anyMatch(r -> decode(r).targetId().equals(target));
    }

    private static boolean hasQps(List<ConsumerRecord<String, byte[]>> records, String target) {
        return records.stream().map(ScrapeToKafkaTest::decode)
                .anyMatch(b -> b.targetId().equals(target) && b.samples().stream().anyMatch(s -> s.metric().equals("mysql_qps")));
    }

    private static double value(SampleBatch batch, String metric) {
        return batch.samples().stream().filter(s -> s.metric().equals(metric)).mapToDouble(Sample::value).findFirst().orElseThrow();
    }
}
