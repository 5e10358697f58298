package io.vigil.logs.digest;

import java.util.Arrays;

/**
 * All values of one metric of one class, so p95 and median are exact (sorted once at report time). A double
 * per entry: 8 MB per million entries and metric.
 */
final class Metric {

    private double[] values = new double[16];
    private int count;
    private double sum;

    void add(double v) {
        if (v < 0) {
            return; // the format did not log this metric
        }
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = v;
        sum += v;
    }

    Summary summarize() {
        if (count == 0) {
            return new Summary(0, 0, 0, 0, 0, 0, 0);
        }
        double[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        return new Summary(count, sum, sorted[0], sorted[count - 1], sum / count, rank(sorted, 0.95),
                rank(sorted, 0.5));
    }

    /** Nearest-rank percentile: an observed value, never an interpolation. */
    private static double rank(double[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    record Summary(long count, double sum, double min, double max, double avg, double p95, double median) {
    }
}
