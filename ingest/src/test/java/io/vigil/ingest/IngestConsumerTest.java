package io.vigil.ingest;

import io.vigil.model.codec.SampleBatchCodec;
import io.vigil.testbed.Await;
import io.vigil.testbed.Kafka;
import io.vigil.testbed.Postgres;
import io.vigil.testbed.WithServices;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

@WithServices({Postgres.class, Kafka.class})
class IngestConsumerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestDb db;
    private final Kafka kafka;
    private final StoreLayout layout;
    private final String topic = "samples-" + UUID.randomUUID();
    /** Per test: other test classes in this JVM (the Quarkus one) run consumers of their own. */
    private final String group = "ingest-test-" + UUID.randomUUID();
    private final long t0 = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS).toEpochMilli();
    private final List<IngestConsumer> consumers = new ArrayList<>();
    private int partitions = 1;

    IngestConsumerTest(Postgres postgres, Kafka kafka) {
        this.db = TestDb.fresh(postgres, "consumer");
        this.kafka = kafka;
        this.layout = new StoreSchema(db.ds(), LayoutChoice.AUTO, StoreSettings.defaults()).ensure();
    }

    @AfterEach
    void stopConsumers() {
        consumers.forEach(IngestConsumer::stop);
    }

    private IngestConsumer startConsumer() {
        var settings = ConsumerSettings.defaults(kafka.bootstrapServers())
                .withTopic(topic)
                .withGroup(group)
                .withBatching(50, Duration.ofMillis(200))
                .withRetry(Duration.ofMillis(100), Duration.ofSeconds(1));
        var consumer = new IngestConsumer(settings, new SampleWriter(db.ds(), layout, new OffsetStore(db.ds(), group), Duration.ofDays(30)));
        consumers.add(consumer);
        consumer.start();
        return consumer;
    }

    private void createTopic(int partitions) throws ExecutionException, InterruptedException {
        this.partitions = partitions;
        try (var admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private KafkaProducer<String, byte[]> producer() {
        var p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Produces scrapes {@code from} until {@code to} (exclusive), spread over 6 instances in 3 clusters. */
    private void produce(int from, int to) throws Exception {
        var sent = new ArrayList<Future<RecordMetadata>>();
        try (var producer = producer()) {
            for (int i = from; i < to; i++) {
                String cluster = "c" + (i % 3);
                var batch = Batches.scrape(cluster, cluster + "-" + (i % 2), t0 + i * 1000L, i);
                // Round-robin over the partitions (explicitly, not by key hash) so that every partition gets work.
                sent.add(producer.send(new ProducerRecord<>(topic, i % partitions, batch.partitionKey(), SampleBatchCodec.encode(batch))));
            }
        }
        for (var f : sent) {
            f.get(); // every record acknowledged, so the expected counts are real
        }
    }

    private long rows() {
        return db.count("SELECT count(*) FROM samples");
    }

    private long distinctPoints() {
        return db.count("SELECT count(*) FROM (SELECT DISTINCT series_id, time FROM samples) d");
    }

    private void awaitRows(long expected, IngestConsumer consumer) {
        Await.until(WAIT, expected + " rows", () -> rows() >= expected,
                () -> "rows " + rows() + ", paused " + consumer.isPaused() + ", retries " + consumer.writeRetries()
                        + ", failure " + consumer.failure());
        assertThat(rows()).isEqualTo(expected);
    }

    @Test
    void storesEveryPointExactlyOnceAcrossARestartThatLostKafkasCommit() throws Exception {
        createTopic(3);
        int n = 120;
        produce(0, n);
        var first = startConsumer();
        awaitRows((long) n * Batches.POINTS_PER_SCRAPE, first);
        assertThat(first.batchesWritten()).isEqualTo(n);
        assertThat(first.pointsWritten()).isEqualTo((long) n * Batches.POINTS_PER_SCRAPE);
        first.stop();

        Map<TopicPartition, Long> stored = new OffsetStore(db.ds(), group).load(List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1), new TopicPartition(topic, 2)));
        assertThat(stored.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(n);
        try (var admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            var inKafka = new HashMap<TopicPartition, Long>();
            committed.forEach((tp, om) -> {
                if (tp.topic().equals(topic)) {
                    inKafka.put(tp, om.offset());
                }
            });
            assertThat(inKafka).as("Kafka's commit mirrors the stored offsets, so lag tools see 0").isEqualTo(stored);
            // A crash between the database commit and Kafka's: Kafka forgets everything.
            var rewind = new HashMap<TopicPartition, OffsetAndMetadata>();
            stored.keySet().forEach(tp -> rewind.put(tp, new OffsetAndMetadata(0)));
            admin.alterConsumerGroupOffsets(group, rewind).all().get();
        }

        produce(n, n + 30);
        var second = startConsumer();
        awaitRows((long) (n + 30) * Batches.POINTS_PER_SCRAPE, second);
        assertThat(distinctPoints()).isEqualTo(rows());
        assertThat(second.batchesWritten()).isEqualTo(30);
    }

    @Test
    void consumersJoiningAGroupMidStreamShareTheWorkWithoutDoubling() throws Exception {
        createTopic(3);
        var first = startConsumer();
        produce(0, 60);
        Await.until(WAIT, "the first consumer to write", () -> rows() > 0);
        var second = startConsumer();
        produce(60, 90);
        var third = startConsumer();
        Await.until(WAIT, "one partition each", () -> first.assignedPartitions() == 1 && second.assignedPartitions() == 1
                && third.assignedPartitions() == 1);
        produce(90, 200);

        awaitRows(200L * Batches.POINTS_PER_SCRAPE, first);
        assertThat(distinctPoints()).isEqualTo(rows());
        assertThat(List.of(first, second, third)).allSatisfy(c -> assertThat(c.batchesWritten()).isPositive());
        assertThat(first.batchesWritten() + second.batchesWritten() + third.batchesWritten()).isEqualTo(200);
    }

    @Test
    void anUndecodableRecordIsCountedAndSkippedAndTheNextOnesAreStored() throws Exception {
        createTopic(1);
        produce(0, 3);
        try (var producer = producer()) {
            producer.send(new ProducerRecord<>(topic, "c0", new byte[]{'V', 1, (byte) 0xFF})).get();
            producer.send(new ProducerRecord<>(topic, "c0", "not a batch".getBytes())).get();
        }
        produce(3, 6);
        var consumer = startConsumer();

        awaitRows(6L * Batches.POINTS_PER_SCRAPE, consumer);
        Await.until(WAIT, "offset past the last record",
                () -> db.queryLongs("SELECT next_offset FROM ingest_offsets WHERE topic = '" + topic + "'").equals(List.of(8L)));
        assertThat(consumer.decodeErrors()).isEqualTo(2);
        assertThat(consumer.batchesWritten()).isEqualTo(6);
    }

    /**
     * PostgreSQL goes away for this database: new connections are refused and existing ones are
     * killed, mid-write or not. (The test bed's Postgres has no stop/start of its own, and stopping
     * the shared cluster would hit other test classes in this JVM.)
     */
    @Test
    void survivesPostgresGoingAwayMidStreamWithoutLosingOrDoublingPoints() throws Exception {
        createTopic(3);
        var consumer = startConsumer();
        produce(0, 40);
        awaitRows(40L * Batches.POINTS_PER_SCRAPE, consumer);

        outage(true);
        try {
            produce(40, 100);
            Await.until(WAIT, "the consumer to pause and retry", () -> consumer.isPaused() && consumer.writeRetries() >= 3);
        } finally {
            outage(false);
        }

        awaitRows(100L * Batches.POINTS_PER_SCRAPE, consumer);
        assertThat(distinctPoints()).isEqualTo(rows());
        Await.until(WAIT, "the consumer to resume", () -> !consumer.isPaused());
        produce(100, 110);
        awaitRows(110L * Batches.POINTS_PER_SCRAPE, consumer);
        assertThat(consumer.failure()).isNull();
    }

    private void outage(boolean down) {
        String name = db.name;
        if (down) {
            db.postgres.sql("postgres", "ALTER DATABASE \"" + name + "\" ALLOW_CONNECTIONS false");
            db.postgres.sql("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
        } else {
            db.postgres.sql("postgres", "ALTER DATABASE \"" + name + "\" ALLOW_CONNECTIONS true");
        }
    }
}
