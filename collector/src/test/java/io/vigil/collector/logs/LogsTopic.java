package io.vigil.collector.logs;

import io.vigil.logs.wire.LogBatch;
import io.vigil.logs.wire.LogBatchJson;
import io.vigil.testbed.Kafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

/** Reads a test's own log topic from the start, as the log pipeline would. */
final class LogsTopic implements AutoCloseable {

    /** A record as consumed: its key and its batch decoded with {@link LogBatchJson}. */
    record Received(String key, LogBatch batch) {
    }

    private final KafkaConsumer<String, byte[]> consumer;
    final List<Received> received = new ArrayList<>();

    LogsTopic(Kafka kafka, String topic) {
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /** Consumes until {@code done} holds for everything received so far, or fails after {@code timeout}. */
    List<Received> until(Predicate<List<Received>> done, Duration timeout, String what) {
        if (!within(done, timeout)) {
            throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what + "; received " + received.size()
                    + " batches");
        }
        return received;
    }

    /** Consumes until {@code done} holds, or {@code timeout} passes; says which. */
    boolean within(Predicate<List<Received>> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(received)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                received.add(new Received(r.key(), LogBatchJson.decode(r.value())));
            }
        }
        return true;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
