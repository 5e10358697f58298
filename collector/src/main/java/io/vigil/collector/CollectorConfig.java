package io.vigil.collector;

import io.vigil.collector.logs.LogShippers;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "vigil.collector")
public interface CollectorConfig {

    /** YAML file with the targets to scrape; see {@link TargetsFile}. */
    Optional<String> targetsFile();

    /** Topic the scrapes go to. */
    @WithDefault("vigil.samples")
    String samplesTopic();

    /** Compacted topic of the targets managed through the API, followed at run time. */
    @WithDefault("vigil.targets")
    String targetsTopic();

    /**
     * Scrapes in flight at once (each holds a connection to its target). A scrape that finds no slot
     * free within its target's timeout reports the target down with reason "collector busy".
     */
    @WithDefault("" + ScrapeScheduler.DEFAULT_MAX_CONCURRENT_SCRAPES)
    int maxConcurrentScrapes();

    /** Consumer group of the collectors on the targets topic: collectors in one group share the fleet by partition. */
    @WithDefault("vigil-collector")
    String targetsGroup();

    /** The log shipper of this collector. */
    Logs logs();

    interface Logs {

        /** YAML file of the log files to tail and the targets whose statement digests to read; see {@code LogsFile}. */
        Optional<String> file();

        /**
         * Where a file without a checkpoint is first read from: {@code beginning} (all it holds) or {@code end}
         * (only what is written from now on; for servers with a large slow log already).
         */
        @WithDefault("beginning")
        LogShippers.StartAt startAt();

        /** Where the checkpoints (file identity and offset per source) are kept. */
        @WithDefault(".vigil/shipper")
        String stateDir();

        /** Topic the log batches go to. */
        @WithDefault("vigil.logs")
        String topic();

        @WithDefault("1000")
        int batchMaxEntries();

        /** Encoded size of one Kafka record at most; the broker's default limit is 1 MiB. */
        @WithDefault("900000")
        int batchMaxBytes();

        /** Statements longer than this (UTF-8 bytes) are shipped cut to it; fingerprints use the whole statement. */
        @WithDefault("65536")
        int maxQueryBytes();

        @WithDefault("500ms")
        Duration pollInterval();

        /** How long a file must stay unchanged before its last entry is shipped without waiting for the next. */
        @WithDefault("2s")
        Duration quietPeriod();

        /** Largest entry read whole (a 1 MB INSERT fits); larger ones become parse errors. */
        @WithDefault("16777216")
        int maxEntryBytes();

        /** Longest wait between attempts while Kafka or a digest target is unreachable. */
        @WithDefault("30s")
        Duration retryBackoffMax();

        /**
         * How long a rotated-away file must stay unchanged before the shipper leaves it for the new file at the
         * path; the server writes to the old file until it reopens its log.
         */
        @WithDefault("10s")
        Duration rotationGrace();
    }
}
