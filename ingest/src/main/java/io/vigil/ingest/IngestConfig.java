package io.vigil.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.vigil.model.Topics;

import java.time.Duration;
import java.util.Optional;

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

    /**
     * Consumers writing in parallel, each with its own Kafka consumer in the group (so its own share of
     * the topic's partitions) and its own transactions; more than the topic has partitions is useless.
     * Two keep PostgreSQL busy while the other decodes (see bench/RESULTS.md).
     */
    @WithDefault("2")
    int writers();

    /** Points older than this are not stored, and dropped from the store. */
    @WithDefault("30d")
    Duration retention();

    /** 1-minute rollup buckets older than this are deleted; by default as long as {@link #retention()}. */
    @WithName("rollup-1m-retention")
    Optional<Duration> minuteRollupRetention();

    /** 1-hour rollup buckets older than this are deleted. */
    @WithName("rollup-1h-retention")
    @WithDefault("400d")
    Duration hourRollupRetention();

    /** How often the rollups of newly written points are brought up to date. */
    @WithDefault("30s")
    Duration rollupInterval();

    /** Series one target may own; its further new series are refused (existing ones still stored). 0: no limit. */
    @WithDefault("20000")
    int maxSeriesPerTarget();

    /** New series the whole store may create in any rolling hour. 0: no limit. */
    @WithDefault("200000")
    int maxNewSeriesPerHour();

    /** Days after today for which partitions exist ahead of time (partitioned layout). */
    @WithDefault("2")
    int premakeDays();

    /** How often partitions are premade and expired ones dropped. */
    @WithDefault("1h")
    Duration maintenanceInterval();
}
