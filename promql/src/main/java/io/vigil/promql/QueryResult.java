package io.vigil.promql;

import java.util.List;

/** An instant query's answer: Prometheus' {@code scalar}, {@code vector} or {@code matrix} result types. */
public sealed interface QueryResult {

    record ScalarResult(long timestampMillis, double value) implements QueryResult {
    }

    /** Ordered by labels. */
    record VectorResult(List<InstantSample> samples) implements QueryResult {
    }

    /** A range vector at the top level ({@code m[5m]}): the raw points, with their own timestamps. */
    record MatrixResult(List<RangeSeries> series) implements QueryResult {
    }
}
