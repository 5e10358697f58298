package io.vigil.rules;

import io.vigil.model.Labels;
import io.vigil.promql.QueryEngine;

import java.util.Map;

/** A rule's expression, compiled for evaluation on a stream. */
public sealed interface AlertCondition permits ThresholdCondition, MatchedCondition, PresenceCondition {

    /**
     * Every identity (series labels without {@code __name__}) the rule watches that has data at {@code t},
     * with its value and whether the condition holds.
     *
     * @throws io.vigil.promql.QueryExecutionException when the data makes the expression ambiguous
     */
    Map<Labels, Observation> observe(QueryEngine engine, long t);

    /**
     * Whether an identity missing from {@link #observe} means "no data" (true) or "condition false" (a bare
     * expression such as {@code absent(up)} selects only what fires, so a missing identity is a good one).
     */
    boolean seesAbsence();

    /** A PromQL query that shows the watched series, for graph links. */
    String query();
}
