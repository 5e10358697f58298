package io.vigil.rules;

import io.vigil.model.Labels;
import io.vigil.promql.Expr;
import io.vigil.promql.InstantSample;
import io.vigil.promql.LabelSets;
import io.vigil.promql.QueryEngine;

import java.util.HashMap;
import java.util.Map;

/** A bare vector expression ({@code absent(up{cluster="pay"})}): every series it returns fires. */
record PresenceCondition(Expr expr, String query) implements AlertCondition {

    @Override
    public Map<Labels, Observation> observe(QueryEngine engine, long t) {
        var out = new HashMap<Labels, Observation>();
        for (InstantSample s : engine.vectorAt(expr, t)) {
            out.put(LabelSets.dropName(s.labels()), new Observation(s.value(), true));
        }
        return out;
    }

    @Override
    public boolean seesAbsence() {
        return false;
    }
}
