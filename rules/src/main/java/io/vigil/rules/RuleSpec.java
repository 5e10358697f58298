package io.vigil.rules;

import io.vigil.model.Severity;

import java.util.Map;
import java.util.Objects;

/**
 * One alerting rule as written by its author, validated. See {@code rules/README.md} for the format.
 *
 * @param expr            the firing condition, a PromQL-subset expression (usually {@code <series> <op> <threshold>})
 * @param forMillis       how long the condition must hold before the alert fires
 * @param recover         the resolve condition applied to the watched value ({@code "< 5"}), or null: resolve when
 *                        the firing condition no longer holds
 * @param recoverForMillis how long the value must stay recovered before the alert resolves
 * @param escalation      severity raised after firing this long, or null
 * @param noData          what a series that stops reporting means for this rule
 * @param source          where the rule came from ({@code file:/etc/vigil/rules/mysql.yaml}, {@code api}, {@code builtin})
 */
public record RuleSpec(String name, String expr, long forMillis, Threshold recover, long recoverForMillis,
                       Severity severity, Map<String, String> labels, Map<String, String> annotations,
                       Escalation escalation, NoData noData, String source) {

    public RuleSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(expr, "expr");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(noData, "noData");
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    /** Normal that lasts {@code afterMillis} while firing becomes {@code to}. */
    public record Escalation(long afterMillis, Severity to) {
    }

    /**
     * @param forMillis how long a watched series may be silent before the alert is in no-data
     * @param alert     whether silence alone raises an alert (with {@code severity}); a firing alert always
     *                  moves to no-data, whatever this says, and never resolves for lack of data
     */
    public record NoData(long forMillis, boolean alert, Severity severity) {
        public static final NoData DEFAULT = new NoData(5 * 60_000L, false, Severity.NORMAL);
    }
}
