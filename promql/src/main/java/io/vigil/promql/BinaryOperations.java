package io.vigil.promql;

import io.vigil.model.Labels;
import io.vigil.promql.Value.Scalar;
import io.vigil.promql.Value.Vector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;

/**
 * Binary operators between scalars and instant vectors, with Prometheus 2.42's rules
 * ({@code engine.go}: {@code VectorscalarBinop}, {@code VectorBinop}, {@code resultMetric}):
 * arithmetic drops the metric name; a comparison filters and keeps the vector's value unless
 * {@code bool} turns it into 0/1 (and then drops the name too); vectors match one-to-one on all
 * labels but the name, or on the {@code on(…)} labels, or on all but the {@code ignoring(…)} ones.
 */
final class BinaryOperations {

    private BinaryOperations() {
    }

    static Value evaluate(BinaryExpr b, Value lhs, Value rhs, long t) {
        if (lhs instanceof Scalar l && rhs instanceof Scalar r) {
            BinaryOp op = b.op();
            if (op.isComparison()) {
                return new Scalar(op.holds(l.value(), r.value()) ? 1 : 0); // the parser demands bool here
            }
            return new Scalar(op.apply(l.value(), r.value()));
        }
        if (lhs instanceof Vector l && rhs instanceof Scalar r) {
            return vectorScalar(b, l.samples(), r.value(), false);
        }
        if (lhs instanceof Scalar l && rhs instanceof Vector r) {
            return vectorScalar(b, r.samples(), l.value(), true);
        }
        return vectorVector(b, ((Vector) lhs).samples(), ((Vector) rhs).samples());
    }

    /** @param swap the scalar is on the left: {@code 2 - v} */
    private static Value vectorScalar(BinaryExpr b, List<InstantSample> vector, double scalar, boolean swap) {
        BinaryOp op = b.op();
        var out = new ArrayList<InstantSample>(vector.size());
        for (InstantSample s : vector) {
            double l = swap ? scalar : s.value();
            double r = swap ? s.value() : scalar;
            double value = op.apply(l, r);
            boolean keep = op.holds(l, r);
            if (op.isComparison()) {
                value = s.value(); // a comparison keeps the vector's own value, on whichever side it is
            }
            if (b.returnBool()) {
                value = keep ? 1 : 0;
                keep = true;
            }
            if (!keep) {
                continue;
            }
            Labels labels = !op.isComparison() || b.returnBool() ? LabelSets.dropName(s.labels()) : s.labels();
            out.add(new InstantSample(labels, s.timestampMillis(), value));
        }
        return new Vector(Evaluator.requireUniqueLabels(out));
    }

    private static Value vectorVector(BinaryExpr b, List<InstantSample> lhs, List<InstantSample> rhs) {
        BinaryOp op = b.op();
        var right = new HashMap<Labels, InstantSample>();
        for (InstantSample r : rhs) {
            Labels sig = LabelSets.signature(r.labels(), b.matchingLabels(), b.on());
            InstantSample duplicate = right.put(sig, r);
            if (duplicate != null) {
                throw new QueryExecutionException("found duplicate series for the match group " + sig
                        + " on the right hand side of the operation: [" + duplicate.labels() + ", " + r.labels()
                        + "];many-to-many matching not allowed: matching labels must be unique on one side");
            }
        }
        var out = new ArrayList<InstantSample>();
        var inserted = new HashSet<Labels>();
        for (InstantSample l : lhs) {
            Labels sig = LabelSets.signature(l.labels(), b.matchingLabels(), b.on());
            InstantSample r = right.get(sig);
            if (r == null) {
                continue;
            }
            double value = op.apply(l.value(), r.value());
            boolean keep = op.holds(l.value(), r.value());
            if (b.returnBool()) {
                value = keep ? 1 : 0;
            } else if (!keep) {
                continue;
            }
            if (!inserted.add(sig)) {
                throw new QueryExecutionException("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
            }
            out.add(new InstantSample(resultLabels(b, l.labels()), l.timestampMillis(), value));
        }
        return new Vector(out);
    }

    /** engine.go's {@code resultMetric} for one-to-one matching. */
    private static Labels resultLabels(BinaryExpr b, Labels lhs) {
        Labels labels = !b.op().isComparison() || b.returnBool() ? LabelSets.dropName(lhs) : lhs;
        if (b.on()) {
            return LabelSets.keep(labels, b.matchingLabels());
        }
        return LabelSets.without(labels, b.matchingLabels());
    }
}
