package io.vigil.server.query;

import io.vigil.model.LabelMatcher;

import java.util.List;

/**
 * A parsed PromQL instant vector selector.
 *
 * @param metricName the name written before the braces, or null ({@code {__name__="m"}} leaves it null)
 * @param matchers   every matcher, the metric name as {@code __name__="…"} included, as the store reads them
 */
public record VectorSelector(String metricName, List<LabelMatcher> matchers) {

    public VectorSelector {
        matchers = List.copyOf(matchers);
    }
}
