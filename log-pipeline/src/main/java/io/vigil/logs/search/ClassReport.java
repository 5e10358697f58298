package io.vigil.logs.search;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One query class over a window: its statistics, a date histogram and the slowest sample queries.
 *
 * @param interval the histogram's bucket width
 */
public record ClassReport(String queryId, String fingerprint, SearchWindow window, long count, double totalSeconds,
                          double avgSeconds, double minSeconds, double maxSeconds, double p50Seconds, double p95Seconds,
                          double p99Seconds, double lockSeconds, long rowsExamined, long rowsSent, Duration interval,
                          List<Bucket> histogram, List<SlowQuery> samples) {

    /** Queries of the class that started in {@code [start, start + interval)}. */
    public record Bucket(Instant start, long count, double totalSeconds) {
    }

    public ClassReport {
        histogram = List.copyOf(histogram);
        samples = List.copyOf(samples);
    }
}
