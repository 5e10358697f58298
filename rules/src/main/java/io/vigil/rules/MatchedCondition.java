package io.vigil.rules;

import io.vigil.model.Labels;
import io.vigil.promql.BinaryExpr;
import io.vigil.promql.Expr;
import io.vigil.promql.InstantSample;
import io.vigil.promql.LabelSets;
import io.vigil.promql.QueryEngine;

import java.util.HashMap;
import java.util.Map;

/**
 * A comparison between two vectors ({@code a > on(instance) b * 2}): evaluated with {@code bool}, so
 * every matched pair is seen with 1 or 0; the left side gives the value reported.
 */
record MatchedCondition(Expr data, BinaryExpr asBool, String query) implements AlertCondition {

    @Override
    public Map<Labels, Observation> observe(QueryEngine engine, long t) {
        var holds = engine.vectorAt(asBool, t);
        if (holds.isEmpty()) {
            return Map.of();
        }
        var values = new HashMap<Labels, Double>();
        for (InstantSample s : engine.vectorAt(data, t)) {
            values.put(LabelSets.dropName(s.labels()), s.value());
        }
        var out = new HashMap<Labels, Observation>(holds.size() * 2);
        for (InstantSample s : holds) {
            Labels id = LabelSets.dropName(s.labels());
            out.put(id, new Observation(values.getOrDefault(id, Double.NaN), s.value() == 1));
        }
        return out;
    }

    @Override
    public boolean seesAbsence() {
        return true;
    }
}
