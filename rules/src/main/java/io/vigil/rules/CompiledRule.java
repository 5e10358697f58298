package io.vigil.rules;

import io.vigil.model.LabelMatcher;
import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import io.vigil.promql.Expr;
import io.vigil.promql.NumberLiteral;
import io.vigil.promql.ParenExpr;
import io.vigil.promql.VectorSelector;

import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A rule ready to evaluate: its condition, the metrics it reads (a batch with none of them leaves
 * the rule alone), how much history its windows need, and its annotation templates.
 */
public record CompiledRule(RuleSpec spec, AlertCondition condition, Set<String> metrics, long windowMillis,
                           Map<String, AnnotationTemplate> templates) {

    public String name() {
        return spec.name();
    }

    /**
     * A plain selector compared with a number ({@code mysql_replication_lag_seconds > 30}), the
     * commonest rule: each series is judged on its own newest point, so new data needs only the
     * series it touched to be judged again, not all of them.
     */
    boolean incremental() {
        return condition instanceof ThresholdCondition t && t.data() instanceof VectorSelector s && s.offsetMillis() == 0
                && unwrap(t.threshold()) instanceof NumberLiteral;
    }

    private static Expr unwrap(Expr e) {
        return e instanceof ParenExpr p ? unwrap(p.expr()) : e;
    }

    /**
     * A query that shows one alert's series: for a plain selector, the selector narrowed to the
     * alert's labels ({@code mysql_replication_lag_seconds{cluster="pay",instance="db2:3306"}});
     * otherwise the rule's watched expression.
     */
    String queryFor(Labels identity) {
        if (!(condition instanceof ThresholdCondition t) || !(t.data() instanceof VectorSelector s) || s.metricName() == null
                || s.offsetMillis() != 0) {
            return condition.query();
        }
        var matchers = new ArrayList<String>();
        for (LabelMatcher m : s.matchers()) {
            if (!m.name().equals(LabelNames.METRIC_NAME) && identity.get(m.name()) == null) {
                matchers.add(m.name() + m.op().symbol() + quote(m.value()));
            }
        }
        identity.asMap().forEach((k, v) -> matchers.add(k + "=" + quote(v)));
        return s.metricName() + "{" + String.join(",", matchers) + "}";
    }

    private static String quote(String v) {
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    /** The annotations for one alert: templates filled with its labels and value (null: no data). */
    Map<String, String> annotations(Labels labels, Double value) {
        var out = new TreeMap<String, String>();
        templates.forEach((k, t) -> out.put(k, t.render(labels, value)));
        return out;
    }
}
