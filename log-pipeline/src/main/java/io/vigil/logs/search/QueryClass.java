package io.vigil.logs.search;

/**
 * One query class (fingerprint) of a window: what ranks it and one slow example.
 *
 * @param share       of the window's total query time, 0..1
 * @param p95Seconds  Elasticsearch's estimate (t-digest; exact for small classes)
 * @param slowest     the class's slowest query in the window
 */
public record QueryClass(String queryId, String fingerprint, long count, double totalSeconds, double avgSeconds,
                         double p95Seconds, double maxSeconds, double share, long rowsExamined, SlowQuery slowest) {
}
