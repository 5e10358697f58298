package io.vigil.bench;

import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;
import io.vigil.rules.AlertSnapshot;
import io.vigil.rules.RuleEngine;
import io.vigil.rules.RuleSetParser;
import io.vigil.rules.health.ClusterHealthEvaluator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The rule engine as the rules role drives it: one operation is one Kafka poll's worth of
 * scrapes ({@value #POLL} targets × {@value #METRICS} samples = 50,000 samples) accepted into the
 * window, then one evaluation of the rules they touched; with {@code tick=true} the one-second
 * timer evaluation (every rule, plus cluster health) follows each poll too, as it would on a
 * machine where a poll takes about a second. 100,000 series: {@value #TARGETS} targets ×
 * {@value #METRICS} metrics; 1,000 rules: {@value #RULES_PER_METRIC} per metric, a third plain
 * thresholds, a third {@code max by (cluster, instance)}, a third {@code avg_over_time(…[1m])}.
 * Scores are samples per second ({@link OperationsPerInvocation}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@State(Scope.Benchmark)
public class RuleEvaluationBench {

    static final int TARGETS = 1000;
    static final int METRICS = 100;
    static final int RULES_PER_METRIC = 10;
    static final int POLL = 500;
    static final int SAMPLES_PER_OP = POLL * METRICS;

    @Param({"false", "true"})
    public boolean tick;

    private RuleEngine engine;
    private List<Labels> targets;
    private List<String> metrics;
    private int next;
    private long now = 1_800_000_000_000L;
    private long seq;
    private long alertChanges;

    /** 1,000 rules over 100 metrics; thresholds at 990 over values 0..999: about 1 % of series fire. */
    static String rules() {
        var yaml = new StringBuilder("rules:\n");
        for (int m = 0; m < METRICS; m++) {
            for (int r = 0; r < RULES_PER_METRIC; r++) {
                String metric = "bench_metric_" + m;
                String expr = switch (r % 3) {
                    case 0 -> metric + " > " + (990 + r);
                    case 1 -> "max by (cluster, instance) (" + metric + ") > " + (990 + r);
                    default -> "avg_over_time(" + metric + "[1m]) > " + (990 + r);
                };
                yaml.append("  - name: R_").append(m).append('_').append(r).append('\n')
                        .append("    expr: '").append(expr).append("'\n")
                        .append("    for: 30s\n");
            }
        }
        return yaml.toString();
    }

    @Setup(Level.Trial)
    public void setUp() {
        engine = new RuleEngine(new ClusterHealthEvaluator());
        engine.setRules(RuleSetParser.parse(rules(), "bench"), now);
        targets = new ArrayList<>();
        for (int t = 0; t < TARGETS; t++) {
            targets.add(Labels.of("cluster", "c" + t / 3, "instance", "10.0." + t / 250 + "." + t % 250 + ":3306",
                    "target", "db" + t, "kind", "mysql"));
        }
        metrics = new ArrayList<>();
        for (int m = 0; m < METRICS; m++) {
            metrics.add("bench_metric_" + m);
        }
        // Fill the window: 2 minutes of scrapes every 10 s.
        for (int i = 0; i < 12 * TARGETS / POLL; i++) {
            poll();
        }
        System.out.printf("%nwindow: %d series, %d points; %d rules%n", engine.seriesInWindow(), engine.pointsInWindow(),
                engine.rules().size());
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES_PER_OP)
    public long poll() {
        for (int i = 0; i < POLL; i++) {
            int t = next++ % TARGETS;
            if (t == 0) {
                now += 10_000; // a round of all targets every 10 s
            }
            var samples = new ArrayList<Sample>(METRICS);
            for (int m = 0; m < METRICS; m++) {
                samples.add(new Sample(metrics.get(m), Labels.EMPTY, (double) ((seq++ * 7919 + t) % 1000)));
            }
            engine.accept(new SampleBatch("db" + t, now, targets.get(t), samples));
        }
        List<AlertSnapshot> changes = engine.evaluate(now, false);
        if (tick) {
            changes = new ArrayList<>(changes);
            changes.addAll(engine.evaluate(now, true));
        }
        alertChanges += changes.size();
        return alertChanges;
    }
}
