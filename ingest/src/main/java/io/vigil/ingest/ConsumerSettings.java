package io.vigil.ingest;

import io.vigil.model.Topics;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the ingest consumer reads Kafka and batches its writes.
 *
 * @param bootstrapServers Kafka's bootstrap servers
 * @param topic            the sample topic (normally {@link Topics#SAMPLES})
 * @param group            the consumer group, also the key of the offsets stored in PostgreSQL
 * @param batchRows        write once this many points are waiting…
 * @param batchMaxWait     …or once the oldest waiting record is this old
 * @param retryMin         first pause after a failed write
 * @param retryMax         cap of the doubling pause between retries
 * @param kafkaOverrides   extra consumer properties (client.id, security settings…), applied last
 */
public record ConsumerSettings(String bootstrapServers, String topic, String group, int batchRows, Duration batchMaxWait,
                               Duration retryMin, Duration retryMax, Map<String, String> kafkaOverrides) {

    public static final String DEFAULT_GROUP = "vigil-ingest";

    public ConsumerSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(group, "group");
        if (batchRows < 1) {
            throw new IllegalArgumentException("batch rows must be at least 1, got " + batchRows);
        }
        if (batchMaxWait.isNegative() || retryMin.isNegative() || retryMin.isZero() || retryMax.compareTo(retryMin) < 0) {
            throw new IllegalArgumentException("invalid timing: batchMaxWait " + batchMaxWait + ", retry " + retryMin + " to " + retryMax);
        }
        kafkaOverrides = Map.copyOf(kafkaOverrides);
    }

    /** Defaults: {@link Topics#SAMPLES}, group vigil-ingest, 5000 points or 1 s, retries 0.5 s doubling to 10 s. */
    public static ConsumerSettings defaults(String bootstrapServers) {
        return new ConsumerSettings(bootstrapServers, Topics.SAMPLES, DEFAULT_GROUP, 5000, Duration.ofSeconds(1),
                Duration.ofMillis(500), Duration.ofSeconds(10), Map.of());
    }

    public ConsumerSettings withTopic(String topic) {
        return new ConsumerSettings(bootstrapServers, topic, group, batchRows, batchMaxWait, retryMin, retryMax, kafkaOverrides);
    }

    public ConsumerSettings withGroup(String group) {
        return new ConsumerSettings(bootstrapServers, topic, group, batchRows, batchMaxWait, retryMin, retryMax, kafkaOverrides);
    }

    public ConsumerSettings withBatching(int batchRows, Duration batchMaxWait) {
        return new ConsumerSettings(bootstrapServers, topic, group, batchRows, batchMaxWait, retryMin, retryMax, kafkaOverrides);
    }

    public ConsumerSettings withRetry(Duration retryMin, Duration retryMax) {
        return new ConsumerSettings(bootstrapServers, topic, group, batchRows, batchMaxWait, retryMin, retryMax, kafkaOverrides);
    }

    public ConsumerSettings withKafkaOverrides(Map<String, String> kafkaOverrides) {
        return new ConsumerSettings(bootstrapServers, topic, group, batchRows, batchMaxWait, retryMin, retryMax, kafkaOverrides);
    }
}
