package io.vigil.promql;

import io.vigil.model.SeriesBuckets;

/**
 * What the range functions that rollups can answer need to know about one series' points in a
 * window {@code [from, ref]}: count, sum, extremes, first and last point, and the counter-reset
 * correction over consecutive points. Built from rollup buckets; see {@link SeriesBuckets} for why
 * the window is the buckets {@code from + width … ref} plus the last point of bucket {@code from}.
 */
record WindowSummary(int count, double sum, double min, double max, long firstTime, double first, long lastTime,
                     double last, double resets) {

    /** The window's summary, or null when it holds no point; {@code from} and {@code ref} are multiples of the width. */
    static WindowSummary of(SeriesBuckets b, long from, long ref) {
        long[] ends = b.ends();
        int lo = b.firstAtOrAfter(from);
        int hi = b.lastAtOrBefore(ref);
        var acc = new Accumulator();
        if (lo <= hi && ends[lo] == from) {
            // Only the bucket's last point can lie on the window's closed start.
            if (b.counts()[lo] > 0 && b.lastTimes()[lo] == from) {
                acc.point(from, b.lasts()[lo]);
            }
            lo++;
        }
        for (int i = lo; i <= hi; i++) {
            if (b.counts()[i] > 0) {
                acc.bucket(b, i);
            }
        }
        return acc.count == 0 ? null : acc.summary();
    }

    private static final class Accumulator {
        int count;
        double sum;
        double min;
        double max;
        long firstTime;
        double first;
        long lastTime;
        double last;
        double resets;

        void point(long t, double v) {
            join(t, v);
            count++;
            sum += v;
            min = count == 1 ? v : Math.min(min, v);
            max = count == 1 ? v : Math.max(max, v);
            lastTime = t;
            last = v;
        }

        void bucket(SeriesBuckets b, int i) {
            join(b.firstTimes()[i], b.firsts()[i]);
            min = count == 0 ? b.mins()[i] : Math.min(min, b.mins()[i]);
            max = count == 0 ? b.maxes()[i] : Math.max(max, b.maxes()[i]);
            count += b.counts()[i];
            sum += b.sums()[i];
            resets += b.resets()[i];
            lastTime = b.lastTimes()[i];
            last = b.lasts()[i];
        }

        /** The step from the previous point to the next one: a first point, or a reset across the gap. */
        private void join(long t, double v) {
            if (count == 0) {
                firstTime = t;
                first = v;
            } else if (v < last) {
                resets += last;
            }
        }

        WindowSummary summary() {
            return new WindowSummary(count, sum, min, max, firstTime, first, lastTime, last, resets);
        }
    }
}
