package io.vigil.ingest;

import java.time.Duration;
import java.util.Objects;

/**
 * What the store layouts need to know from the configuration.
 *
 * @param retention   points older than this are dropped (whole partitions or chunks)
 * @param premakeDays how many days ahead of today the partitioned layout creates partitions, so
 *                    that a write at midnight never waits for DDL
 * @param minuteRollupRetention 1-minute rollup buckets older than this are deleted
 * @param hourRollupRetention   1-hour rollup buckets older than this are deleted
 */
public record StoreSettings(Duration retention, int premakeDays, Duration minuteRollupRetention, Duration hourRollupRetention) {

    public StoreSettings {
        requirePositive(retention, "retention");
        requirePositive(minuteRollupRetention, "1-minute rollup retention");
        requirePositive(hourRollupRetention, "1-hour rollup retention");
        if (premakeDays < 0) {
            throw new IllegalArgumentException("premake days must not be negative, got " + premakeDays);
        }
    }

    /** Rollups kept as long as the raw points for minutes, and 400 days for hours. */
    public StoreSettings(Duration retention, int premakeDays) {
        this(retention, premakeDays, retention, Duration.ofDays(400));
    }

    public static StoreSettings defaults() {
        return new StoreSettings(Duration.ofDays(30), 2);
    }

    public Duration rollupRetention(Rollups rollup) {
        return rollup == Rollups.MINUTE ? minuteRollupRetention : hourRollupRetention;
    }

    private static void requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
    }
}
