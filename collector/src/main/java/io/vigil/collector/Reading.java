package io.vigil.collector;

import io.vigil.model.Labels;

/**
 * A raw value read from a target, before counters become rates.
 *
 * @param counter true for monotonically increasing server counters (Questions, Com_commit…),
 *                which the collector turns into per-second rates; false for gauges
 */
public record Reading(String metric, Labels labels, double value, boolean counter) {

    public static Reading gauge(String metric, double value) {
        return new Reading(metric, Labels.EMPTY, value, false);
    }

    public static Reading counter(String metric, double value) {
        return new Reading(metric, Labels.EMPTY, value, true);
    }
}
