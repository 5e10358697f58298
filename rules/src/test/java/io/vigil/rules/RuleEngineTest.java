package io.vigil.rules;

import io.vigil.model.AlertState;
import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;
import io.vigil.model.Severity;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert lifecycle over a stream of scrapes, 10 s apart, driven by the engine exactly as the
 * rules role drives it: accept each batch, evaluate what it touched, tick the timers.
 */
class RuleEngineTest {

    private static final long S = 1000;
    private static final long T0 = 1_800_000_000_000L;
    private static final Labels REPLICA = Labels.of("cluster", "pay", "instance", "db2:3306", "target", "pay-db2");

    private final RuleEngine engine = new RuleEngine();
    private final List<AlertSnapshot> events = new ArrayList<>();
    private long now = T0;

    private void rules(String yaml) {
        events.addAll(engine.setRules(RuleSetParser.parse(yaml, "test.yaml"), now));
    }

    /** One scrape of the replica at the current time with the given lag (NaN: no lag sample this time). */
    private void scrape(String metric, double value) {
        engine.accept(new SampleBatch("pay-db2", now, REPLICA, List.of(new Sample(metric, Labels.of("channel", ""), value))));
        events.addAll(engine.evaluate(now, false));
    }

    /** Scrapes every 10 s for {@code seconds}, with the same value, ticking the timers after each. */
    private void hold(String metric, double value, long seconds) {
        for (long end = now + seconds * S; now < end; ) {
            now += 10 * S;
            scrape(metric, value);
            events.addAll(engine.evaluate(now, true));
        }
    }

    /** Time passes without scrapes, the timer ticking every 10 s. */
    private void silence(long seconds) {
        for (long end = now + seconds * S; now < end; ) {
            now += 10 * S;
            events.addAll(engine.evaluate(now, true));
        }
    }

    private List<String> transitions() {
        return events.stream().map(e -> (e.previous() == null ? "new" : e.previous().wireName()) + "->" + e.state().wireName()).toList();
    }

    private static final String LAG = """
            rules:
              - name: ReplicationLag
                expr: mysql_replication_lag_seconds > 30
                for: 1m
                recover: "< 5"
                recover_for: 2m
                severity: normal
                annotations:
                  summary: "{{ $labels.instance }} is {{ $value | humanizeDuration }} behind"
            """;

    @Test
    void firesOnlyAfterTheConditionHeldForItsForWithoutAGap() {
        rules(LAG);
        hold("mysql_replication_lag_seconds", 40, 50);
        assertThat(transitions()).containsExactly("new->pending");
        hold("mysql_replication_lag_seconds", 10, 10); // one good scrape: the for-clock restarts
        hold("mysql_replication_lag_seconds", 40, 50);
        assertThat(transitions()).containsExactly("new->pending", "pending->resolved", "new->pending");
        assertThat(events.get(1).firedAtMillis()).as("a cancelled pending alert never fired").isZero();
        hold("mysql_replication_lag_seconds", 40, 20);
        assertThat(transitions()).containsExactly("new->pending", "pending->resolved", "new->pending", "pending->firing");
        AlertSnapshot firing = events.getLast();
        assertThat(firing.firedAtMillis() - firing.activeAtMillis()).isEqualTo(60 * S);
        assertThat(firing.labels().asMap()).containsEntry("alertname", "ReplicationLag").containsEntry("severity", "normal")
                .containsEntry("instance", "db2:3306").doesNotContainKey("__name__");
        assertThat(firing.annotations()).containsEntry("summary", "db2:3306 is 40s behind");
        assertThat(firing.query()).isEqualTo("mysql_replication_lag_seconds{cluster=\"pay\",instance=\"db2:3306\",target=\"pay-db2\"}");
    }

    @Test
    void hysteresisKeepsItFiringInTheBandAndResolvesOnlyAfterTheRecoveryHold() {
        rules(LAG);
        hold("mysql_replication_lag_seconds", 40, 70);
        events.clear();
        hold("mysql_replication_lag_seconds", 20, 300); // below 30, above 5: still firing, no flapping
        assertThat(transitions()).isEmpty();
        hold("mysql_replication_lag_seconds", 3, 90);   // recovered, but not for 2 minutes yet
        hold("mysql_replication_lag_seconds", 8, 10);   // back in the band: the hold restarts
        hold("mysql_replication_lag_seconds", 2, 110);
        assertThat(transitions()).isEmpty();
        hold("mysql_replication_lag_seconds", 2, 20);
        assertThat(transitions()).containsExactly("firing->resolved");
        assertThat(events.getLast().resolvedAtMillis()).isEqualTo(now);
        assertThat(events.getLast().value()).isEqualTo(2.0);
    }

    @Test
    void silenceIsNoDataNeverARecovery() {
        rules(LAG.replace("severity: normal", "severity: normal\n    no_data: {for: 1m}"));
        hold("mysql_replication_lag_seconds", 40, 70);
        events.clear();
        now += 10 * S;
        scrape("mysql_replication_lag_seconds", Sample.STALE_NAN); // the target went away: the collector marks its series gone
        silence(40); // silence counts from the last scrape that had the series
        assertThat(transitions()).isEmpty();
        silence(10);
        assertThat(transitions()).containsExactly("firing->nodata");
        assertThat(events.getLast().value()).isNull();
        assertThat(events.getLast().annotations()).containsEntry("summary", "db2:3306 is no data behind");
        silence(3600 * 2); // hours of silence: still active, never resolved, never forgotten
        assertThat(transitions()).containsExactly("firing->nodata");
        assertThat(engine.current(now)).singleElement().satisfies(a -> assertThat(a.state()).isEqualTo(AlertState.NODATA));
        hold("mysql_replication_lag_seconds", 1, 10); // data is back and good: firing again until the hold passes
        assertThat(transitions()).containsExactly("firing->nodata", "nodata->firing");
        hold("mysql_replication_lag_seconds", 1, 120);
        assertThat(transitions()).containsExactly("firing->nodata", "nodata->firing", "firing->resolved");
    }

    @Test
    void aRuleCanAlertOnSilenceAlone() {
        rules("""
                rules:
                  - name: ReplicaSilent
                    expr: mysql_replication_lag_seconds > 30
                    no_data: {for: 30s, alert: true, severity: severe}
                """);
        hold("mysql_replication_lag_seconds", 0, 30);
        now += 10 * S;
        scrape("mysql_replication_lag_seconds", Sample.STALE_NAN);
        silence(10);
        assertThat(transitions()).isEmpty();
        silence(10);
        assertThat(transitions()).containsExactly("new->nodata");
        assertThat(events.getLast().severity()).isEqualTo(Severity.SEVERE);
        hold("mysql_replication_lag_seconds", 0, 10);
        assertThat(transitions()).containsExactly("new->nodata", "nodata->resolved");
    }

    @Test
    void normalEscalatesToSevereWhenItLastsAndThatIsAnnouncedOnce() {
        rules(LAG.replace("severity: normal", "severity: normal\n    escalate: {after: 10m, to: severe}"));
        hold("mysql_replication_lag_seconds", 40, 70);
        hold("mysql_replication_lag_seconds", 40, 590);
        assertThat(transitions()).containsExactly("new->pending", "pending->firing");
        hold("mysql_replication_lag_seconds", 40, 60);
        assertThat(transitions()).containsExactly("new->pending", "pending->firing", "firing->firing");
        assertThat(events.getLast().severity()).isEqualTo(Severity.SEVERE);
        assertThat(events.getLast().labels().get("severity")).isEqualTo("severe");
    }

    @Test
    void aRestartedEngineTakesOverFiringAlertsWithoutAnnouncingThemAgain() {
        rules(LAG);
        hold("mysql_replication_lag_seconds", 40, 70);
        List<AlertSnapshot> stored = engine.current(now);
        assertThat(stored).singleElement().satisfies(a -> assertThat(a.state()).isEqualTo(AlertState.FIRING));

        var restarted = new RuleEngine();
        now += 30 * S; // down for a while; the lag recovered meanwhile
        restarted.setRules(RuleSetParser.parse(LAG, "test.yaml"), now);
        restarted.restore(stored, now);
        var after = new ArrayList<AlertSnapshot>();
        for (int i = 0; i < 13; i++) {
            now += 10 * S;
            restarted.accept(new SampleBatch("pay-db2", now, REPLICA, List.of(new Sample("mysql_replication_lag_seconds", Labels.of("channel", ""), 1))));
            after.addAll(restarted.evaluate(now, false));
            after.addAll(restarted.evaluate(now, true));
        }
        assertThat(after).extracting(a -> a.previous().wireName() + "->" + a.state().wireName()).containsExactly("firing->resolved");
        assertThat(after.getLast().firedAtMillis()).isEqualTo(stored.getFirst().firedAtMillis());
        assertThat(after.getLast().fingerprint()).isEqualTo(stored.getFirst().fingerprint());
    }

    @Test
    void aStoredAlertWhoseRuleWasDeletedMeanwhileResolvesInsteadOfStayingActiveForever() {
        rules(LAG);
        hold("mysql_replication_lag_seconds", 40, 70);
        List<AlertSnapshot> stored = engine.current(now);
        var restarted = new RuleEngine();
        restarted.setRules(List.of(), now);
        assertThat(restarted.restore(stored, now)).singleElement().satisfies(a -> {
            assertThat(a.state()).isEqualTo(AlertState.RESOLVED);
            assertThat(a.previous()).isEqualTo(AlertState.FIRING);
            assertThat(a.fingerprint()).isEqualTo(stored.getFirst().fingerprint());
        });
    }

    @Test
    void restoredAlertsGetTheNoDataGraceFromTheRestartNotFromTheirLastSample() {
        rules(LAG.replace("severity: normal", "severity: normal\n    no_data: {for: 1m}"));
        hold("mysql_replication_lag_seconds", 40, 70);
        List<AlertSnapshot> stored = engine.current(now);
        var restarted = new RuleEngine();
        now += 10 * 60 * S; // the rules instance was down ten minutes
        restarted.setRules(RuleSetParser.parse(LAG.replace("severity: normal", "severity: normal\n    no_data: {for: 1m}"), "t"), now);
        restarted.restore(stored, now);
        now += 30 * S;
        assertThat(restarted.evaluate(now, true)).isEmpty();
        now += 40 * S;
        assertThat(restarted.evaluate(now, true)).extracting(AlertSnapshot::state).containsExactly(AlertState.NODATA);
    }

    @Test
    void aCollectorThatStopsSendingAnythingIsNoDataOnceTheLookbackHasPassed() {
        rules(LAG.replace("severity: normal", "severity: normal\n    no_data: {for: 1m}"));
        hold("mysql_replication_lag_seconds", 40, 70);
        events.clear();
        silence(5 * 60 + 50); // no staleness marker: the last point counts for the 5-minute lookback, as in Prometheus
        assertThat(transitions()).isEmpty();
        silence(20);
        assertThat(transitions()).containsExactly("firing->nodata");
    }

    @Test
    void editingAnAnnotationKeepsAlertsAndChangingTheExpressionResolvesThem() {
        rules(LAG);
        hold("mysql_replication_lag_seconds", 40, 70);
        events.clear();
        rules(LAG.replace("is {{", "lags {{"));
        hold("mysql_replication_lag_seconds", 40, 10);
        assertThat(transitions()).isEmpty();
        assertThat(engine.current(now).getFirst().annotations().get("summary")).isEqualTo("db2:3306 lags 40s behind");
        rules(LAG.replace("> 30", "> 60"));
        assertThat(transitions()).containsExactly("firing->resolved");
    }

    @Test
    void aBareExpressionFiresWhileItReturnsSeriesAndResolvesWhenItStops() {
        rules("""
                rules:
                  - name: ReplicationBroken
                    expr: mysql_replication_broken == 1 or absent(x)
                    severity: severe
                """.replace(" or absent(x)", ""));
        rules("""
                rules:
                  - name: NoReplicaData
                    expr: absent(mysql_replication_lag_seconds{cluster="pay"})
                    for: 20s
                """);
        hold("mysql_replication_lag_seconds", 1, 30);
        assertThat(transitions()).isEmpty();
        silence(400); // past the 5-minute lookback: absent() returns a series
        assertThat(transitions()).containsExactly("new->pending", "pending->firing");
        assertThat(events.getLast().labels().asMap()).containsEntry("cluster", "pay");
        hold("mysql_replication_lag_seconds", 1, 10);
        assertThat(transitions()).containsExactly("new->pending", "pending->firing", "firing->resolved");
    }

    @Test
    void anAmbiguousEvaluationKeepsAlertsAsTheyAreAndIsReportedOnTheRule() {
        rules("""
                rules:
                  - name: TooManyThreads
                    expr: mysql_threads_running / on(cluster) mysql_max_connections > 0.5
                """);
        engine.accept(new SampleBatch("a", now, Labels.of("cluster", "c", "target", "a"), List.of(
                Sample.of("mysql_threads_running", 80), Sample.of("mysql_max_connections", 100))));
        assertThat(engine.evaluate(now, false)).extracting(AlertSnapshot::state).containsExactly(AlertState.FIRING);
        now += 10 * S;
        engine.accept(new SampleBatch("b", now, Labels.of("cluster", "c", "target", "b"), List.of(
                Sample.of("mysql_threads_running", 1), Sample.of("mysql_max_connections", 100))));
        assertThat(engine.evaluate(now, false)).isEmpty();
        assertThat(engine.errors()).containsKey("TooManyThreads");
        assertThat(engine.current(now)).extracting(AlertSnapshot::state).containsExactly(AlertState.FIRING);
    }

    @Test
    void onlyOwnedIdentitiesAreAlertedOn() {
        rules(LAG.replace("for: 1m", "for: 0s"));
        engine.setOwnership(l -> !"pay".equals(l.get("cluster")));
        hold("mysql_replication_lag_seconds", 40, 30);
        assertThat(transitions()).isEmpty();
        engine.setOwnership(l -> true);
        hold("mysql_replication_lag_seconds", 40, 10);
        assertThat(transitions()).containsExactly("new->firing");
    }

    @Test
    void theWindowKeepsOnlyWhatRulesReadForAsLongAsTheyNeedIt() {
        rules("""
                rules:
                  - name: Deadlocks
                    expr: sum by (cluster) (sum_over_time(mysql_innodb_deadlocks_per_second[10m])) > 5
                """);
        for (int i = 0; i < 200; i++) {
            now += 10 * S;
            engine.accept(new SampleBatch("a", now, REPLICA, List.of(Sample.of("mysql_innodb_deadlocks_per_second", 0),
                    Sample.of("mysql_qps", 100))));
            engine.evaluate(now, true);
        }
        assertThat(engine.seriesInWindow()).isEqualTo(1);
        // the 10-minute range at one point per 10 s; mysql_qps is read by no rule
        assertThat(engine.pointsInWindow()).isBetween(60L, 61L);
    }
}
