package io.vigil.collector.logs;

import java.time.Duration;

/**
 * How the shipper reads and batches.
 *
 * @param batchMaxEntries entries in one Kafka record at most
 * @param batchMaxBytes   bytes of one encoded Kafka record at most (the broker's default limit is 1 MiB)
 * @param maxQueryBytes   a statement longer than this (UTF-8) is shipped cut to it, fingerprinted whole
 * @param pollInterval    how often an idle file is looked at
 * @param quietPeriod     how long a file must stay unchanged before its last entry counts as complete
 * @param readBytes       bytes read from a file in one go
 * @param maxEntryBytes   the largest entry read whole; larger ones are cut and reported as parse errors
 * @param retryBackoffMax the longest wait between two attempts while Kafka or a database is unreachable
 * @param rotationGrace   how long a rotated-away file must stay unchanged before the shipper leaves it for the
 *                        new file: the server writes to it until it reopens its log
 */
public record ShipperSettings(int batchMaxEntries, int batchMaxBytes, int maxQueryBytes, Duration pollInterval,
                              Duration quietPeriod, int readBytes, int maxEntryBytes, Duration retryBackoffMax,
                              Duration rotationGrace) {

    public static final ShipperSettings DEFAULTS = new ShipperSettings(1000, 900_000, 64 << 10,
            Duration.ofMillis(500), Duration.ofSeconds(2), 1 << 20, 16 << 20, Duration.ofSeconds(30),
            Duration.ofSeconds(10));

    public ShipperSettings {
        if (batchMaxEntries < 1 || batchMaxBytes < 4096 || maxQueryBytes < 64 || readBytes < 4096
                || maxEntryBytes < readBytes) {
            throw new IllegalArgumentException("shipper settings out of range: batch-max-entries " + batchMaxEntries
                    + " (>= 1), batch-max-bytes " + batchMaxBytes + " (>= 4096), max-query-bytes " + maxQueryBytes
                    + " (>= 64), read-bytes " + readBytes + " (>= 4096), max-entry-bytes " + maxEntryBytes
                    + " (>= read-bytes)");
        }
    }

    public ShipperSettings withBatchMaxEntries(int entries) {
        return new ShipperSettings(entries, batchMaxBytes, maxQueryBytes, pollInterval, quietPeriod, readBytes,
                maxEntryBytes, retryBackoffMax, rotationGrace);
    }
}
