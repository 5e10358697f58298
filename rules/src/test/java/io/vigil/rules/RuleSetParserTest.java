package io.vigil.rules;

import io.vigil.model.Labels;
import io.vigil.model.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuleSetParserTest {

    private static List<String> problems(String yaml) {
        try {
            RuleSetParser.parse(yaml, "r.yaml");
        } catch (RuleException e) {
            return e.problems();
        }
        throw new AssertionError("accepted: " + yaml);
    }

    @Test
    void readsEveryField() {
        CompiledRule r = RuleSetParser.parse("""
                rules:
                  - name: ReplicationLag
                    expr: max by (cluster, instance) (mysql_replication_lag_seconds{cluster=~"pay-.*"}) > 30
                    for: 1m
                    recover: "< 5"
                    recover_for: 2m30s
                    severity: normal
                    escalate: {after: 15m, to: severe}
                    no_data: {for: 3m, alert: true, severity: severe}
                    labels: {team: dba}
                    annotations:
                      summary: "{{ $labels.instance }} lags {{ $value | humanizeDuration }}"
                """, "r.yaml").getFirst();
        RuleSpec s = r.spec();
        assertThat(s.forMillis()).isEqualTo(60_000);
        assertThat(s.recover()).isEqualTo(new Threshold(Threshold.Comparison.LT, 5));
        assertThat(s.recoverForMillis()).isEqualTo(150_000);
        assertThat(s.escalation()).isEqualTo(new RuleSpec.Escalation(900_000, Severity.SEVERE));
        assertThat(s.noData()).isEqualTo(new RuleSpec.NoData(180_000, true, Severity.SEVERE));
        assertThat(s.labels()).containsEntry("team", "dba");
        assertThat(s.source()).isEqualTo("r.yaml");
        assertThat(r.metrics()).containsExactly("mysql_replication_lag_seconds");
        assertThat(r.condition().query()).isEqualTo("max by (cluster, instance) (mysql_replication_lag_seconds{cluster=~\"pay-.*\"})");
        assertThat(r.annotations(Labels.of("instance", "db2:3306"), 3725.0)).containsEntry("summary", "db2:3306 lags 1h 2m 5s");
        assertThat(r.annotations(Labels.of("instance", "db2:3306"), 3600.0)).containsEntry("summary", "db2:3306 lags 1h 0m 0s");
        assertThat(r.annotations(Labels.of("instance", "db2:3306"), 125.5)).containsEntry("summary", "db2:3306 lags 2m 5s");
        assertThat(r.annotations(Labels.of("instance", "db2:3306"), 42.5)).containsEntry("summary", "db2:3306 lags 42.5s");
    }

    @Test
    void anExpressionErrorGivesTheFilePositionAndThePositionInsideTheExpression() {
        assertThat(problems("""
                rules:
                  - name: Lag
                    expr: mysql_replication_lag_seconds{cluster~"pay"} > 30
                """)).containsExactly("r.yaml:3:11: rule Lag: expr: 1:38: parse error: unexpected character inside braces: '~'");
    }

    @Test
    void everyProblemOfEveryRuleIsReportedAtOnce() {
        assertThat(problems("""
                rules:
                  - name: A
                    expr: up == 0
                    for: 5 minutes
                    severty: severe
                  - name: B
                    expr: up == 0
                    severity: critical
                    labels: {alertname: x}
                  - name: A
                    expr: up == 0
                """)).containsExactly(
                "r.yaml:5:5: unknown field \"severty\"; a rule has annotations, escalate, expr, for, labels, name, no_data, recover, recover_for, severity",
                "r.yaml:4:10: rule A: for: must be a duration such as 30s, 5m or 1h30m, got \"5 minutes\"",
                "r.yaml:8:15: rule B: severity: severity must be normal or severe, got \"critical\"",
                "r.yaml:9:14: rule B: labels.alertname: is set by Vigil (alertname, severity) and cannot be overridden",
                "r.yaml:10:5: rule A: name: used by another rule of this set");
    }

    @Test
    void aRecoveryThresholdThatOverlapsTheFiringConditionIsRefused() {
        assertThat(problems("""
                rules:
                  - name: Lag
                    expr: mysql_replication_lag_seconds > 30
                    recover: "< 40"
                """)).singleElement().asString().startsWith("r.yaml:4:14: rule Lag: recover: \"< 40\" overlaps the firing condition");
        assertThat(problems("""
                rules:
                  - name: HitRatio
                    expr: mysql_innodb_buffer_pool_hit_ratio < 0.95
                    recover: "> 0.9"
                """)).singleElement().asString().contains("use a recovery above it, such as \"> 0.95\"");
        assertThat(RuleSetParser.parse("""
                rules:
                  - name: HitRatio
                    expr: 0.95 > mysql_innodb_buffer_pool_hit_ratio
                    recover: ">= 0.99"
                """, "r.yaml")).hasSize(1);
    }

    @Test
    void whatTheStreamCannotEvaluateIsRefusedWithTheReason() {
        assertThat(problems("rules:\n  - name: S\n    expr: 1 > bool 0\n")).singleElement().asString()
                .isEqualTo("r.yaml:3:11: rule S: expr: 1:1: must select series (an instant vector), not a scalar");
        assertThat(problems("rules:\n  - name: R\n    expr: '{__name__=~\"mysql_.*\"} > 1'\n")).singleElement().asString()
                .contains("rule R: expr: 1:1: a rule's selectors must name their metric exactly");
        assertThat(problems("rules:\n  - name: P\n    expr: predict_linear(x[1h], 3600) > 0\n")).singleElement().asString()
                .contains("rule P: expr: 1:1: parse error:");
    }

    @Test
    void badTemplatesAndBadYamlAreRefusedWhereTheyAre() {
        assertThat(problems("""
                rules:
                  - name: T
                    expr: up == 0
                    annotations: {summary: "{{ $labels.instance | toUpper }}"}
                """)).singleElement().asString().startsWith("r.yaml:2:5: rule T: annotations.summary: unsupported template action "
                + "{{ $labels.instance | toUpper }} at character 1");
        assertThat(problems("rules:\n  - name: [\n")).singleElement().asString().startsWith("r.yaml:3:1: not valid YAML:");
        assertThat(problems("rules:\n  - name: A\n    name: B\n    expr: up\n")).singleElement().asString()
                .isEqualTo("r.yaml:3:5: rule A: name: appears twice in this rule");
        assertThatThrownBy(() -> RuleSetParser.parse("x".repeat(RuleSetParser.MAX_DOCUMENT_CHARS + 1), "api"))
                .hasMessageContaining("a rule set may have at most");
    }

    @Test
    void anEmptySetIsNoRules() {
        assertThat(RuleSetParser.parse("", "empty.yaml")).isEmpty();
        assertThat(RuleSetParser.parse("rules: []", "empty.yaml")).isEmpty();
    }
}
