package io.vigil.rules;

import io.vigil.model.LabelMatcher;
import io.vigil.model.LabelNames;
import io.vigil.promql.Aggregation;
import io.vigil.promql.BinaryExpr;
import io.vigil.promql.Call;
import io.vigil.promql.Expr;
import io.vigil.promql.MatrixSelector;
import io.vigil.promql.NumberLiteral;
import io.vigil.promql.ParenExpr;
import io.vigil.promql.PromQlParseException;
import io.vigil.promql.PromQlParser;
import io.vigil.promql.UnaryExpr;
import io.vigil.promql.ValueType;
import io.vigil.promql.VectorSelector;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns a {@link RuleSpec} into a {@link CompiledRule}, or says what is wrong and where. */
public final class RuleCompiler {

    /** Prometheus' default lookback: an instant selector sees points this old. */
    static final long LOOKBACK_MILLIS = 5 * 60_000L;
    private static final Pattern TRAILING_COMPARISON = Pattern.compile(
            "\\s*(==|!=|>=|<=|>|<)\\s*(bool\\s*)?((on|ignoring)\\s*\\([^)]*\\)\\s*)?(group_(left|right)\\s*(\\([^)]*\\))?\\s*)?$");

    private RuleCompiler() {
    }

    /**
     * @throws RuleException whose problems name the field; an expression error carries the line and
     *                       column inside the expression ({@code expr: 1:14: parse error: …})
     */
    public static CompiledRule compile(RuleSpec spec) {
        Expr expr;
        try {
            expr = PromQlParser.parse(spec.expr());
        } catch (PromQlParseException e) {
            throw RuleException.at(spec, "expr", e.getMessage(), e.line(), e.column());
        }
        if (expr.type() != ValueType.VECTOR) {
            throw RuleException.at(spec, "expr", "must select series (an instant vector), not a " + expr.type().promName(), 1, 1);
        }
        var metrics = new LinkedHashSet<String>();
        long[] window = {0};
        collect(spec, expr, metrics, window);
        AlertCondition condition = condition(spec, expr);
        checkHysteresis(spec, condition);
        var templates = new HashMap<String, AnnotationTemplate>();
        for (Map.Entry<String, String> a : spec.annotations().entrySet()) {
            try {
                templates.put(a.getKey(), AnnotationTemplate.compile(a.getValue()));
            } catch (IllegalArgumentException e) {
                throw RuleException.of(spec, "annotations." + a.getKey(), e.getMessage());
            }
        }
        return new CompiledRule(spec, condition, Set.copyOf(metrics), window[0] + LOOKBACK_MILLIS, Map.copyOf(templates));
    }

    private static AlertCondition condition(RuleSpec spec, Expr expr) {
        Expr top = unwrap(expr);
        if (top instanceof BinaryExpr b && b.op().isComparison() && !b.returnBool()) {
            String text = spec.expr();
            if (b.rhs().type() == ValueType.SCALAR) {
                String data = TRAILING_COMPARISON.matcher(text.substring(b.lhs().pos(), b.rhs().pos())).replaceFirst("");
                return new ThresholdCondition(b.lhs(), b.op(), b.rhs(), true, data.strip());
            }
            if (b.lhs().type() == ValueType.SCALAR) {
                return new ThresholdCondition(b.rhs(), b.op(), b.lhs(), false, text.substring(b.rhs().pos()).strip());
            }
            String data = TRAILING_COMPARISON.matcher(text.substring(b.lhs().pos(), b.rhs().pos())).replaceFirst("");
            var asBool = new BinaryExpr(b.op(), b.lhs(), b.rhs(), b.matchingLabels(), b.on(), true, b.pos());
            return new MatchedCondition(b.lhs(), asBool, data.strip());
        }
        return new PresenceCondition(expr, spec.expr().strip());
    }

    /**
     * A recovery threshold must not overlap the firing condition: with {@code > 30} and
     * {@code recover: "< 40"} a value of 35 would both fire and recover.
     */
    private static void checkHysteresis(RuleSpec spec, AlertCondition condition) {
        Threshold recover = spec.recover();
        if (recover == null) {
            return;
        }
        if (!(condition instanceof ThresholdCondition t) || !(unwrap(t.threshold()) instanceof NumberLiteral n)) {
            if (condition instanceof PresenceCondition) {
                throw RuleException.of(spec, "recover", "needs an expression of the form <series> <comparison> <number>, "
                        + "such as mysql_replication_lag_seconds > 30");
            }
            return;
        }
        double fire = n.value();
        boolean fireAbove = switch (t.op()) {
            case GTR, GTE -> t.vectorOnLeft();
            case LSS, LTE -> !t.vectorOnLeft();
            default -> throw RuleException.of(spec, "recover", "applies to <, <=, > and >= conditions, not " + t.op().symbol());
        };
        if (fireAbove && (!recover.op().below() || recover.value() > fire)) {
            throw RuleException.of(spec, "recover", "\"" + recover + "\" overlaps the firing condition; for a condition that "
                    + "fires above " + n.value() + " use a recovery below it, such as \"< " + fire + "\"");
        }
        if (!fireAbove && (recover.op().below() || recover.value() < fire)) {
            throw RuleException.of(spec, "recover", "\"" + recover + "\" overlaps the firing condition; for a condition that "
                    + "fires below " + n.value() + " use a recovery above it, such as \"> " + fire + "\"");
        }
    }

    private static Expr unwrap(Expr e) {
        return e instanceof ParenExpr p ? unwrap(p.expr()) : e;
    }

    private static void collect(RuleSpec spec, Expr e, Set<String> metrics, long[] window) {
        switch (e) {
            case VectorSelector s -> {
                String name = metricName(s);
                if (name == null) {
                    throw RuleException.at(spec, "expr", "a rule's selectors must name their metric exactly "
                            + "(the rule engine keeps only the metrics its rules read)", 1, s.pos() + 1);
                }
                metrics.add(name);
                window[0] = Math.max(window[0], Math.max(0, s.offsetMillis()));
            }
            case MatrixSelector m -> {
                collect(spec, m.selector(), metrics, window);
                window[0] = Math.max(window[0], m.rangeMillis() + Math.max(0, m.selector().offsetMillis()) - LOOKBACK_MILLIS);
            }
            case ParenExpr p -> collect(spec, p.expr(), metrics, window);
            case UnaryExpr u -> collect(spec, u.expr(), metrics, window);
            case Call c -> c.args().forEach(a -> collect(spec, a, metrics, window));
            case Aggregation a -> {
                if (a.param() != null) {
                    collect(spec, a.param(), metrics, window);
                }
                collect(spec, a.expr(), metrics, window);
            }
            case BinaryExpr b -> {
                collect(spec, b.lhs(), metrics, window);
                collect(spec, b.rhs(), metrics, window);
            }
            case NumberLiteral n -> {
            }
        }
    }

    private static String metricName(VectorSelector s) {
        if (s.metricName() != null) {
            return s.metricName();
        }
        for (LabelMatcher m : s.matchers()) {
            if (m.name().equals(LabelNames.METRIC_NAME) && m.op() == LabelMatcher.Op.EQ) {
                return m.value();
            }
        }
        return null;
    }
}
