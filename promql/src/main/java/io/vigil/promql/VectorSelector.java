package io.vigil.promql;

import io.vigil.model.LabelMatcher;

import java.util.List;

/**
 * A parsed PromQL instant vector selector.
 *
 * @param metricName   the name written before the braces, or null ({@code {__name__="m"}} leaves it null)
 * @param matchers     every matcher, the metric name as {@code __name__="…"} included, as the store reads them
 * @param offsetMillis the {@code offset} modifier, 0 when absent; negative looks forward in time
 */
public record VectorSelector(String metricName, List<LabelMatcher> matchers, long offsetMillis, int pos) implements Expr {

    public VectorSelector {
        matchers = List.copyOf(matchers);
    }

    public VectorSelector(String metricName, List<LabelMatcher> matchers) {
        this(metricName, matchers, 0, 0);
    }

    VectorSelector withOffset(long offset) {
        return new VectorSelector(metricName, matchers, offset, pos);
    }

    @Override
    public ValueType type() {
        return ValueType.VECTOR;
    }

    // Identity, not value, equality: the engine keys each selector's data by its node, and two
    // equal selectors in one query (a / a) must not be confused with each other's read windows.
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
