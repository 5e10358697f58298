package io.vigil.collector;

import java.util.OptionalDouble;

/**
 * The ratio of two server counters' increases over one scrape interval, such as buffer pool
 * misses per read request. Lifetime totals would hide today's problem behind months of history,
 * so only the deltas count.
 *
 * <p>Reset-safe like {@link CounterRates}: when either counter goes down (restart, FLUSH STATUS)
 * that interval yields nothing and a new run starts. An interval in which the denominator did
 * not move yields nothing either: the ratio is undefined, not 0 or 1. Not thread-safe: one per
 * target and ratio.
 */
public final class CounterDeltaRatio {

    private double lastNumerator = Double.NaN;
    private double lastDenominator = Double.NaN;

    /** Records the current totals; returns Δnumerator / Δdenominator since the previous call, if defined. */
    public OptionalDouble update(double numerator, double denominator) {
        double dn = numerator - lastNumerator;
        double dd = denominator - lastDenominator;
        lastNumerator = numerator;
        lastDenominator = denominator;
        // NaN deltas (first call, after reset) fail every comparison below and yield nothing.
        if (!(dn >= 0) || !(dd > 0)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(dn / dd);
    }

    /** Forgets the previous totals: the next update starts a new run. */
    public void reset() {
        lastNumerator = Double.NaN;
        lastDenominator = Double.NaN;
    }
}
