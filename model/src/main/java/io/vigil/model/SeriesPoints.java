package io.vigil.model;


/**
 * The points of one series in a time range, oldest first. Arrays rather than a list of objects:
 * a 24-hour range at 5 s is 17,280 points per series, and a dashboard reads hundreds of series.
 *
 * @param labels           all labels of the series, the metric name under {@code __name__}
 * @param timestampsMillis point times, ascending
 * @param values           point values, same length as the times
 */
public record SeriesPoints(Labels labels, long[] timestampsMillis, double[] values) {

    public SeriesPoints {
        if (timestampsMillis.length != values.length) {
            throw new IllegalArgumentException("times and values differ in length: " + timestampsMillis.length + " vs " + values.length);
        }
    }

    public int size() {
        return values.length;
    }
}
