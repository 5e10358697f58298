package io.vigil.model;

import java.util.Objects;

/**
 * One value of one metric from one scrape. The labels here are only those that tell samples of
 * the same scrape apart (a replication channel, a Redis replica); the target's own labels travel
 * once per {@link SampleBatch}.
 */
public record Sample(String metric, Labels labels, double value) {

    /**
     * Prometheus's staleness marker: a NaN with this exact bit pattern says "this series stopped
     * here". A query at a later time then finds no value instead of repeating the last one for
     * five minutes: a dead target must not look alive on a dashboard.
     */
    public static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

    /** True only for the staleness marker, not for an ordinary NaN reading. */
    public static boolean isStaleMarker(double value) {
        return Double.doubleToRawLongBits(value) == 0x7ff0000000000002L;
    }

    public Sample {
        if (!Labels.isValidName(metric)) {
            throw new IllegalArgumentException("invalid metric name '" + metric + "'");
        }
        Objects.requireNonNull(labels, "labels");
    }

    public static Sample of(String metric, double value) {
        return new Sample(metric, Labels.EMPTY, value);
    }
}
