package io.vigil.rules;

import io.vigil.model.Labels;
import io.vigil.promql.BinaryOp;
import io.vigil.promql.Expr;
import io.vigil.promql.InstantSample;
import io.vigil.promql.LabelSets;
import io.vigil.promql.QueryEngine;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code <vector> <op> <scalar>} (or the scalar first): the vector side is evaluated without the
 * comparison, so a series below the threshold is seen as "present and fine", and a series that
 * is missing is seen as missing, not as fine.
 */
record ThresholdCondition(Expr data, BinaryOp op, Expr threshold, boolean vectorOnLeft, String query) implements AlertCondition {

    @Override
    public Map<Labels, Observation> observe(QueryEngine engine, long t) {
        var values = engine.vectorAt(data, t);
        if (values.isEmpty()) {
            return Map.of();
        }
        double limit = engine.scalarAt(threshold, t);
        var out = new HashMap<Labels, Observation>(values.size() * 2);
        for (InstantSample s : values) {
            double v = s.value();
            boolean firing = vectorOnLeft ? op.holds(v, limit) : op.holds(limit, v);
            out.put(LabelSets.dropName(s.labels()), new Observation(v, firing));
        }
        return out;
    }

    @Override
    public boolean seesAbsence() {
        return true;
    }
}
