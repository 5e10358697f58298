package io.vigil.ingest;

import java.time.Duration;
import java.util.Objects;

/**
 * What the store layouts need to know from the configuration.
 *
 * @param retention   points older than this are dropped (whole partitions or chunks)
 * @param premakeDays how many days ahead of today the partitioned layout creates partitions, so
 *                    that a write at midnight never waits for DDL
 */
public record StoreSettings(Duration retention, int premakeDays) {

    public StoreSettings {
        Objects.requireNonNull(retention, "retention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, got " + retention);
        }
        if (premakeDays < 0) {
            throw new IllegalArgumentException("premake days must not be negative, got " + premakeDays);
        }
    }

    public static StoreSettings defaults() {
        return new StoreSettings(Duration.ofDays(30), 2);
    }
}
