package io.vigil.collector;

import java.util.Arrays;

/**
 * How late scrapes start against their schedule, over the most recent scrapes: a scrape due at 10:00:00.000
 * that starts at 10:00:00.040 is 40 ms late. Late starts mean the collector cannot keep up with its
 * targets (too many for its CPU, or its threads starved), long before scrapes are skipped.
 */
public final class ScrapeLateness {

    /** Percentiles over the last {@code count} starts (at most the window). */
    public record Snapshot(long count, double p50Seconds, double p99Seconds, double maxSeconds) {
    }

    private final long[] window;
    private long recorded;

    public ScrapeLateness(int size) {
        window = new long[size];
    }

    synchronized void record(long lateNanos) {
        window[(int) (recorded++ % window.length)] = Math.max(0, lateNanos);
    }

    public synchronized Snapshot snapshot() {
        int n = (int) Math.min(recorded, window.length);
        if (n == 0) {
            return new Snapshot(0, 0, 0, 0);
        }
        long[] sorted = Arrays.copyOf(window, n);
        Arrays.sort(sorted);
        return new Snapshot(recorded, sorted[rank(n, 0.50)] / 1e9, sorted[rank(n, 0.99)] / 1e9, sorted[n - 1] / 1e9);
    }

    private static int rank(int n, double q) {
        return Math.max(0, (int) Math.ceil(q * n) - 1);
    }
}
