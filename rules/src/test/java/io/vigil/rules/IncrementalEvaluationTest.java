package io.vigil.rules;

import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Judging only the series new data touched must announce exactly what judging every series does:
 * two engines, one incremental and one not, fed the same random stream (values around the
 * thresholds, staleness markers, silent targets, scrapes at random times), must publish the same
 * changes at the same moments.
 */
class IncrementalEvaluationTest {

    private static final String RULES = """
            rules:
              - name: Lag
                expr: mysql_replication_lag_seconds > 30
                for: 20s
                recover: "< 5"
                recover_for: 20s
                no_data: {for: 30s}
              - name: Silent
                expr: mysql_replication_lag_seconds{cluster="c1"} > 1000
                no_data: {for: 30s, alert: true}
              - name: Threads
                expr: 50 < mysql_threads_running
                no_data: {for: 20s}
            """;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void incrementalAndFullEvaluationAnnounceTheSameChanges(long seed) {
        var random = new Random(seed);
        var incremental = new RuleEngine();
        var full = new RuleEngine();
        full.disableIncrementalEvaluation();
        long now = 1_800_000_000_000L;
        incremental.setRules(RuleSetParser.parse(RULES, "t"), now);
        full.setRules(RuleSetParser.parse(RULES, "t"), now);
        var a = new ArrayList<String>();
        var b = new ArrayList<String>();
        double[] lag = new double[12];
        boolean[] silent = new boolean[12];
        for (int step = 0; step < 2000; step++) {
            now += 1000;
            for (int t = 0; t < lag.length; t++) {
                boolean goesSilent = false;
                if (random.nextInt(40) == 0) {
                    silent[t] = !silent[t];
                    goesSilent = silent[t];
                }
                if (!goesSilent && (silent[t] || random.nextInt(3) != 0)) {
                    continue; // scraped about every 3 s, some targets silent for a while
                }
                lag[t] = Math.max(0, lag[t] + random.nextGaussian() * 8 + (lag[t] > 40 ? -3 : 1));
                // A target that goes away is marked stale by the collector, then says nothing.
                double v = goesSilent || random.nextInt(60) == 0 ? Sample.STALE_NAN : lag[t];
                var target = Labels.of("cluster", "c" + t % 3, "target", "db" + t, "instance", "db" + t + ":3306");
                var batch = new SampleBatch("db" + t, now, target, List.of(new Sample("mysql_replication_lag_seconds", Labels.EMPTY, v),
                        new Sample("mysql_threads_running", Labels.EMPTY, goesSilent ? Sample.STALE_NAN : random.nextInt(100))));
                incremental.accept(batch);
                full.accept(batch);
            }
            boolean tick = step % 2 == 0;
            record(a, incremental.evaluate(now, false));
            record(b, full.evaluate(now, false));
            if (tick) {
                record(a, incremental.evaluate(now, true));
                record(b, full.evaluate(now, true));
            }
        }
        assertThat(a).hasSizeGreaterThan(50);
        assertThat(byMoment(a)).isEqualTo(byMoment(b));
    }

    private static void record(List<String> out, List<AlertSnapshot> changes) {
        for (AlertSnapshot s : changes) {
            out.add(s.atMillis() + " " + s.rule() + " " + s.identity() + " " + (s.previous() == null ? "new" : s.previous().wireName())
                    + "->" + s.state().wireName() + " " + s.value());
        }
    }

    /** Within one moment the order of identities may differ; across moments it may not. */
    private static List<String> byMoment(List<String> changes) {
        var sorted = new ArrayList<>(changes);
        sorted.sort(java.util.Comparator.<String>comparingLong(s -> Long.parseLong(s.substring(0, s.indexOf(' '))))
                .thenComparing(java.util.Comparator.naturalOrder()));
        return sorted;
    }
}
