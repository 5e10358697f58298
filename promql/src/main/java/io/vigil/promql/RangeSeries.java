package io.vigil.promql;

import io.vigil.model.Labels;

/**
 * One series of a range query result: a value at each step time where the series had one.
 *
 * @param timestampsMillis step times, ascending
 * @param values           same length as the times
 */
public record RangeSeries(Labels labels, long[] timestampsMillis, double[] values) {

    public RangeSeries {
        if (timestampsMillis.length != values.length) {
            throw new IllegalArgumentException("times and values differ in length: " + timestampsMillis.length + " vs " + values.length);
        }
    }

    public int size() {
        return values.length;
    }
}
