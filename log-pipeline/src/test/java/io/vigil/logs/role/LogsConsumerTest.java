package io.vigil.logs.role;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.vigil.logs.index.BulkIndexer;
import io.vigil.logs.index.ElasticsearchConnection;
import io.vigil.logs.index.ElasticsearchSettings;
import io.vigil.logs.index.IndexNames;
import io.vigil.logs.index.IndexTemplates;
import io.vigil.logs.index.LogDocuments;
import io.vigil.logs.index.TestBatches;
import io.vigil.logs.wire.LogBatch;
import io.vigil.logs.wire.LogBatchJson;
import io.vigil.logs.wire.LogKind;
import io.vigil.logs.wire.LogSource;
import io.vigil.testbed.Await;
import io.vigil.testbed.Elasticsearch;
import io.vigil.testbed.Kafka;
import io.vigil.testbed.WithServices;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** vigil.logs → the logs consumer → Elasticsearch, on a real Kafka and a real Elasticsearch. */
@WithServices({Kafka.class, Elasticsearch.class})
class LogsConsumerTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Instant T = Instant.parse("2026-12-04T10:00:00Z");
    /** Slow queries per batch; every batch also has one error event. */
    private static final int SLOW_PER_BATCH = 5;

    private final Kafka kafka;
    private final Elasticsearch elasticsearch;
    private final ElasticsearchConnection connection;
    private final ElasticsearchClient client;
    private LogsConsumer consumer;

    LogsConsumerTest(Kafka kafka, Elasticsearch elasticsearch) {
        this.kafka = kafka;
        this.elasticsearch = elasticsearch;
        this.connection = new ElasticsearchConnection(ElasticsearchSettings.of(elasticsearch.url()));
        this.client = connection.client();
    }

    @AfterEach
    void stop() {
        if (consumer != null) {
            consumer.stop();
        }
        connection.close();
    }

    @Test
    void indexesEveryEventOnceAndSkipsWhatIsNotALogBatch() throws Exception {
        String topic = createTopic("logs-once");
        produce(topic, 0, 10);
        try (var producer = producer()) {
            producer.send(new ProducerRecord<>(topic, "db-1:/var/log/mysql/slow.log", "{\"not\": \"a batch\"}".getBytes())).get();
            producer.send(new ProducerRecord<>(topic, "db-1:/var/log/mysql/slow.log", new byte[]{0, 1, 2})).get();
        }
        produce(topic, 10, 20);

        consumer = start(topic, "c-once", "group-once");
        awaitDocuments("c-once", 20 * (SLOW_PER_BATCH + 1));
        Await.until(WAIT, "both bad records counted", () -> consumer.decodeErrors() == 2, this::state);
        assertThat(consumer.documentsIndexed()).isEqualTo(20 * (SLOW_PER_BATCH + 1));
        assertThat(consumer.failure()).isNull();
        consumer.stop();

        // Another group reads the whole topic again, as after a crash before the commit: nothing doubles.
        consumer = start(topic, "c-once", "group-once-again");
        Await.until(WAIT, "the topic read again", () -> consumer.documentsExisting() == 20 * (SLOW_PER_BATCH + 1), this::state);
        assertThat(consumer.documentsIndexed()).isZero();
        assertThat(count("c-once")).isEqualTo(20 * (SLOW_PER_BATCH + 1));
    }

    @Test
    void elasticsearchStoppedMidStreamLosesAndDoublesNothing() throws Exception {
        String topic = createTopic("logs-outage");
        consumer = start(topic, "c-outage", "group-outage");
        produce(topic, 0, 20);
        awaitDocuments("c-outage", 20 * (SLOW_PER_BATCH + 1));

        elasticsearch.takeDown();
        try {
            produce(topic, 20, 50);
            Await.until(WAIT, "the consumer to pause and retry", () -> consumer.isPaused() && consumer.retries() >= 2, this::state);
        } finally {
            elasticsearch.bringBack();
        }

        awaitDocuments("c-outage", 50 * (SLOW_PER_BATCH + 1));
        Await.until(WAIT, "the consumer to resume", () -> !consumer.isPaused(), this::state);
        produce(topic, 50, 55);
        awaitDocuments("c-outage", 55 * (SLOW_PER_BATCH + 1));
        assertThat(consumer.documentsRejected()).isZero();
        assertThat(consumer.failure()).isNull();
    }

    private LogsConsumer start(String topic, String prefix, String group) {
        var names = new IndexNames(prefix);
        var settings = LogsConsumerSettings.defaults(kafka.bootstrapServers()).withTopic(topic).withGroup(group)
                .withBatching(50, Duration.ofMillis(200)).withRetry(Duration.ofMillis(200), Duration.ofSeconds(2));
        var c = new LogsConsumer(settings, new IndexTemplates(client, names, 1, 0), new LogDocuments(names),
                new BulkIndexer(client, 50, 5_000_000));
        c.start();
        return c;
    }

    /** Batches {@code from..to-1}, alternating between two source files (and so partitions). */
    private void produce(String topic, int from, int to) throws Exception {
        try (var producer = producer()) {
            for (int i = from; i < to; i++) {
                var source = new LogSource("db-" + (i % 2), "pay", "db-" + (i % 2) + ":3306", LogKind.SLOW, "/var/log/mysql/slow.log");
                LogBatch slow = TestBatches.slow(source, "2049:" + (i % 2), 100_000L * i, T.plusSeconds(60L * i), SLOW_PER_BATCH);
                var batch = new LogBatch(source, slow.fileId(), slow.startOffset(), slow.endOffset(), slow.slow(),
                        List.of(TestBatches.error(T.plusSeconds(60L * i), "Warning", null, "Aborted connection " + i, 100_000L * i + 50)),
                        List.of(), List.of());
                producer.send(new ProducerRecord<>(topic, source.key(), LogBatchJson.encode(batch))).get();
            }
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        var p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private String createTopic(String name) throws Exception {
        try (var admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, 3, (short) 1))).all().get();
        }
        return name;
    }

    private void awaitDocuments(String prefix, long expected) {
        Await.until(WAIT, expected + " documents under " + prefix, () -> {
            long n = count(prefix);
            assertThat(n).as("documents under " + prefix + " (never more than were produced)").isLessThanOrEqualTo(expected);
            return n == expected;
        }, () -> "documents " + count(prefix) + ", " + state());
    }

    private long count(String prefix) {
        try {
            client.indices().refresh(r -> r.index(prefix + "-*").ignoreUnavailable(true).allowNoIndices(true));
            return client.count(c -> c.index(prefix + "-*").ignoreUnavailable(true).allowNoIndices(true)).count();
        } catch (Exception e) {
            return -1; // Elasticsearch is coming back
        }
    }

    private String state() {
        return "paused " + consumer.isPaused() + ", retries " + consumer.retries() + ", indexed " + consumer.documentsIndexed()
                + ", existing " + consumer.documentsExisting() + ", decode errors " + consumer.decodeErrors();
    }
}
