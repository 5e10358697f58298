package io.vigil.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vigil.model.Topics;

import java.time.Duration;

/** {@code vigil.ingest.*}: the time-series store and the Kafka → store writer. */
@ConfigMapping(prefix = "vigil.ingest")
public interface IngestConfig {

    /** {@code auto} (TimescaleDB when available), {@code timescaledb} (required) or {@code partitioned}. */
    @WithDefault("auto")
    LayoutChoice layout();

    /** Kafka consumer group; also the key of the offsets stored in PostgreSQL. */
    @WithDefault(ConsumerSettings.DEFAULT_GROUP)
    String consumerGroup();

    /** The sample topic. */
    @WithDefault(Topics.SAMPLES)
    String topic();

    /** Write once this many points are waiting. */
    @WithDefault("5000")
    int batchRows();

    /** Write at the latest this long after the oldest waiting record arrived. */
    @WithDefault("1s")
    Duration batchMaxWait();

    /** Points older than this are not stored, and dropped from the store. */
    @WithDefault("30d")
    Duration retention();

    /** Days after today for which partitions exist ahead of time (partitioned layout). */
    @WithDefault("2")
    int premakeDays();

    /** How often partitions are premade and expired ones dropped. */
    @WithDefault("1h")
    Duration maintenanceInterval();
}
