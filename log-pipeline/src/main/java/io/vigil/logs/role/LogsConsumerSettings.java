package io.vigil.logs.role;

import io.vigil.model.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the logs role reads {@code vigil.logs} and batches its bulk requests.
 *
 * @param bootstrapServers Kafka's bootstrap servers
 * @param topic            normally {@link Topics#LOGS}
 * @param group            the consumer group; offsets are committed in Kafka once Elasticsearch has the documents
 * @param batchDocuments   index once this many documents wait (also the most one bulk request carries)…
 * @param batchMaxWait     …or once the oldest waiting record is this old
 * @param retryMin         first pause after Elasticsearch failed
 * @param retryMax         cap of the doubling pause between retries
 * @param kafkaOverrides   extra consumer properties, applied last
 */
public record LogsConsumerSettings(String bootstrapServers, String topic, String group, int batchDocuments,
                                   Duration batchMaxWait, Duration retryMin, Duration retryMax,
                                   Map<String, String> kafkaOverrides) {

    public static final String DEFAULT_GROUP = "vigil-logs";

    public LogsConsumerSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(group, "group");
        if (batchDocuments < 1) {
            throw new IllegalArgumentException("batch documents must be at least 1, got " + batchDocuments);
        }
        if (batchMaxWait.isNegative() || retryMin.isNegative() || retryMin.isZero() || retryMax.compareTo(retryMin) < 0) {
            throw new IllegalArgumentException("invalid timing: batchMaxWait " + batchMaxWait + ", retry " + retryMin + " to " + retryMax);
        }
        kafkaOverrides = Map.copyOf(kafkaOverrides);
    }

    /** {@link Topics#LOGS}, group vigil-logs, 2000 documents or 1 s, retries 0.5 s doubling to 30 s. */
    public static LogsConsumerSettings defaults(String bootstrapServers) {
        return new LogsConsumerSettings(bootstrapServers, Topics.LOGS, DEFAULT_GROUP, 2000, Duration.ofSeconds(1),
                Duration.ofMillis(500), Duration.ofSeconds(30), Map.of());
    }

    public LogsConsumerSettings withTopic(String topic) {
        return new LogsConsumerSettings(bootstrapServers, topic, group, batchDocuments, batchMaxWait, retryMin, retryMax, kafkaOverrides);
    }

    public LogsConsumerSettings withGroup(String group) {
        return new LogsConsumerSettings(bootstrapServers, topic, group, batchDocuments, batchMaxWait, retryMin, retryMax, kafkaOverrides);
    }

    public LogsConsumerSettings withBatching(int batchDocuments, Duration batchMaxWait) {
        return new LogsConsumerSettings(bootstrapServers, topic, group, batchDocuments, batchMaxWait, retryMin, retryMax, kafkaOverrides);
    }

    public LogsConsumerSettings withRetry(Duration retryMin, Duration retryMax) {
        return new LogsConsumerSettings(bootstrapServers, topic, group, batchDocuments, batchMaxWait, retryMin, retryMax, kafkaOverrides);
    }
}
