package io.vigil.logs.role;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vigil.model.Topics;
import java.time.Duration;
import java.util.Optional;

/** {@code vigil.logs.*}: Elasticsearch, the daily indices, and the {@code vigil.logs} → Elasticsearch writer. */
@ConfigMapping(prefix = "vigil.logs")
public interface LogsConfig {

    Elasticsearch elasticsearch();

    /** Index names start with it: {@code <prefix>-slow-2026.12.04}. */
    @WithDefault("vigil")
    String indexPrefix();

    /** Primary shards of each daily index. */
    @WithDefault("1")
    int indexShards();

    /** Replicas of each daily index; 0 on a single-node cluster. */
    @WithDefault("1")
    int indexReplicas();

    /** Daily indices older than this many days (today included) are deleted. */
    @WithDefault("14")
    int retentionDays();

    /** How often expired indices are looked for. */
    @WithDefault("1h")
    Duration maintenanceInterval();

    /** Kafka consumer group of the logs role. */
    @WithDefault(LogsConsumerSettings.DEFAULT_GROUP)
    String consumerGroup();

    @WithDefault(Topics.LOGS)
    String topic();

    /** Index once this many documents wait; also the most one bulk request carries. */
    @WithDefault("2000")
    int batchDocuments();

    /** The most JSON one bulk request carries (about); keep it well under the cluster's http.max_content_length. */
    @WithDefault("5M")
    MemorySize batchMaxBytes();

    /** Index at the latest this long after the oldest waiting record arrived. */
    @WithDefault("1s")
    Duration batchMaxWait();

    /** First pause after Elasticsearch failed; doubles up to {@link #retryMax()}. */
    @WithDefault("500ms")
    Duration retryMin();

    @WithDefault("30s")
    Duration retryMax();

    interface Elasticsearch {

        /** Comma-separated {@code http(s)://host:port} of the cluster's nodes. */
        @WithDefault("http://127.0.0.1:9200")
        String url();

        Optional<String> username();

        /** Never logged. */
        Optional<String> password();

        /** Base64 {@code id:key} of an API key, instead of a user. Never logged. */
        Optional<String> apiKey();
    }
}
