package io.vigil.rules;

import io.vigil.model.AlertState;
import io.vigil.model.Labels;
import io.vigil.model.SampleBatch;
import io.vigil.promql.QueryEngine;
import io.vigil.promql.VectorSelector;
import io.vigil.rules.health.ClusterHealth;
import io.vigil.rules.health.ClusterHealthEvaluator;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Streaming evaluation: sample batches go into the window and mark the rules that read their
 * metrics; {@link #evaluate} runs those rules (or, on a timer tick, all of them, so that {@code for},
 * recovery holds and silence advance without new data) and returns every alert change.
 * One thread owns an engine; nothing here blocks.
 */
public final class RuleEngine {

    private static final Logger LOG = Logger.getLogger(RuleEngine.class);
    /** An inactive identity silent this long is forgotten (a decommissioned replica, a renamed channel). */
    static final long FORGET_AFTER_MILLIS = 60 * 60_000L;

    private final WindowStore window = new WindowStore();
    private final QueryEngine queries = new QueryEngine(window);
    private final Map<String, CompiledRule> rules = new LinkedHashMap<>();
    private final Map<String, Map<Labels, AlertRecord>> records = new HashMap<>();
    private final Map<String, List<String>> rulesByMetric = new HashMap<>();
    private final Set<String> dirty = new HashSet<>();
    /** Rules with an alert pending, firing or in no-data: their clocks (for, recover_for, no_data.for) need every tick. */
    private final Set<String> timed = new HashSet<>();
    /** Every rule is evaluated at least this often, so that series aging out of the lookback are seen as absent. */
    static final long SWEEP_MILLIS = 10_000;
    private long nextSweep;
    private boolean incremental = true;
    private final Map<String, String> errors = new HashMap<>();
    private Predicate<Labels> owns = l -> true;
    private long evaluations;
    private final ClusterHealthEvaluator health;
    private List<ClusterHealth> lastHealth = List.of();

    /** An engine without cluster health (tests of single rules). */
    public RuleEngine() {
        this(null);
    }

    /** With {@code health}, every tick computes cluster health and feeds {@code vigil_cluster_health} to the rules. */
    public RuleEngine(ClusterHealthEvaluator health) {
        this.health = health;
    }

    /**
     * Replaces the rule set. A rule whose expression is unchanged keeps its alerts (a new summary
     * text does not re-page anyone); the alerts of a removed rule, or of one whose expression
     * changed, resolve.
     */
    public List<AlertSnapshot> setRules(Collection<CompiledRule> newRules, long now) {
        var out = new ArrayList<AlertSnapshot>();
        var next = new LinkedHashMap<String, CompiledRule>();
        newRules.forEach(r -> next.put(r.name(), r));
        for (var it = rules.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            CompiledRule replacement = next.get(e.getKey());
            if (replacement == null || !replacement.spec().expr().equals(e.getValue().spec().expr())) {
                var recs = records.remove(e.getKey());
                if (recs != null) {
                    recs.values().forEach(r -> out.addAll(r.retire(e.getValue(), now)));
                }
                errors.remove(e.getKey());
                it.remove();
            }
        }
        rules.clear();
        rules.putAll(next);
        rulesByMetric.clear();
        long retention = 0;
        for (CompiledRule r : rules.values()) {
            r.metrics().forEach(m -> rulesByMetric.computeIfAbsent(m, k -> new ArrayList<>()).add(r.name()));
            retention = Math.max(retention, r.windowMillis());
        }
        var kept = new HashSet<>(rulesByMetric.keySet());
        if (health != null) {
            kept.addAll(ClusterHealthEvaluator.INPUTS);
            kept.add(ClusterHealthEvaluator.METRIC);
            retention = Math.max(retention, RuleCompiler.LOOKBACK_MILLIS);
        }
        window.configure(kept, retention);
        timed.retainAll(rules.keySet());
        dirty.addAll(rules.keySet());
        nextSweep = 0;
        return out;
    }

    /** Only identities for which this returns true are alerted on here (the partitions this instance owns). */
    public void setOwnership(Predicate<Labels> owns) {
        this.owns = owns;
    }

    /**
     * Takes over stored alerts (after a restart or a partition move); their rules must be set first.
     * An alert whose rule no longer exists (deleted while no instance ran) resolves: the returned
     * changes must be stored like any other, or it would stay active forever.
     */
    public List<AlertSnapshot> restore(Collection<AlertSnapshot> stored, long now) {
        var out = new ArrayList<AlertSnapshot>();
        for (AlertSnapshot s : stored) {
            if (rules.containsKey(s.rule())) {
                records.computeIfAbsent(s.rule(), k -> new HashMap<>()).put(s.identity(), AlertRecord.restore(s, now));
                timed.add(s.rule());
            } else {
                out.add(new AlertSnapshot(s.fingerprint(), s.rule(), s.identity(), s.labels(), AlertState.RESOLVED,
                        s.state(), s.severity(), s.value(), s.annotations(), s.activeAtMillis(), s.firedAtMillis(), now,
                        0, s.lastSeenMillis(), now, s.query()));
            }
        }
        return out;
    }

    /** Forgets the alerts this instance no longer owns (their partitions moved away); they stay stored for the new owner. */
    public void release(Predicate<Labels> stillOwned) {
        for (var recs : records.values()) {
            recs.values().removeIf(r -> !stillOwned.test(r.identity()));
        }
    }

    public void accept(SampleBatch batch) {
        var touched = window.append(batch, new HashSet<>());
        for (String metric : touched) {
            dirty.addAll(rulesByMetric.getOrDefault(metric, List.of()));
        }
    }

    /**
     * Evaluates the rules that saw new data since the last call, or all rules when {@code all}
     * (the timer tick), at {@code now}; returns the alert changes in the order they happened.
     */
    public List<AlertSnapshot> evaluate(long now, boolean all) {
        var out = new ArrayList<AlertSnapshot>();
        if (all) {
            window.evict(now);
            if (health != null) {
                lastHealth = health.evaluate(window, now);
                for (SampleBatch b : ClusterHealthEvaluator.asSamples(lastHealth, now)) {
                    accept(b);
                }
            }
        }
        Collection<String> names;
        boolean sweep = all && now >= nextSweep;
        if (sweep) {
            names = List.copyOf(rules.keySet());
            nextSweep = now + SWEEP_MILLIS;
        } else if (all) {
            // A tick between sweeps: what new data touched, and every rule whose alerts have a clock running.
            var some = new LinkedHashSet<String>(dirty);
            some.addAll(timed);
            names = some;
        } else {
            names = List.copyOf(dirty);
        }
        for (String name : names) {
            CompiledRule rule = rules.get(name);
            if (rule == null) {
                continue;
            }
            if (incremental && !sweep && rule.incremental() && dirty.contains(name) && !timed.contains(name)) {
                evaluateTouched(rule, now, out);
            } else {
                evaluate(rule, now, out);
            }
        }
        dirty.clear();
        window.clearTouched();
        return out;
    }

    /**
     * An incremental rule with no alert clock running, after new data: only the series the data
     * touched are judged; the others keep their last judgement until they get data or a sweep
     * looks at them (a series aging out of the lookback without a staleness marker is seen then).
     */
    private void evaluateTouched(CompiledRule rule, long now, List<AlertSnapshot> out) {
        var t = (ThresholdCondition) rule.condition();
        var s = (VectorSelector) t.data();
        double limit = queries.scalarAt(t.threshold(), now);
        var recs = records.computeIfAbsent(rule.name(), k -> new HashMap<>());
        boolean[] clocks = {false};
        for (String metric : rule.metrics()) {
            window.forEachTouched(metric, s.matchers(), now - RuleCompiler.LOOKBACK_MILLIS, now, (id, v) -> {
                if (!owns.test(id)) {
                    return;
                }
                AlertRecord r = recs.get(id);
                if (v == null) {
                    if (r != null) {
                        out.addAll(r.absent(rule, true, now));
                        clocks[0] |= !r.isInactive();
                    }
                    return;
                }
                if (r == null) {
                    r = new AlertRecord(rule.name(), id, now);
                    recs.put(id, r);
                }
                boolean firing = t.vectorOnLeft() ? t.op().holds(v, limit) : t.op().holds(limit, v);
                out.addAll(r.observe(rule, new Observation(v, firing), now));
                clocks[0] |= !r.isInactive();
            });
        }
        evaluations++;
        if (clocks[0] || rule.spec().noData().alert()) {
            timed.add(rule.name());
        }
    }

    private void evaluate(CompiledRule rule, long now, List<AlertSnapshot> out) {
        Map<Labels, Observation> seen;
        try {
            seen = rule.condition().observe(queries, now);
            evaluations++;
        } catch (RuntimeException e) {
            // The data made the expression ambiguous (two series with one label set): keep every
            // alert as it is, and say so on the rule, rather than resolve anything.
            if (!e.getMessage().equals(errors.put(rule.name(), e.getMessage()))) {
                LOG.warnf("rule %s: evaluation failed, alerts kept as they are: %s", rule.name(), e.getMessage());
            }
            return;
        }
        errors.remove(rule.name());
        var recs = records.computeIfAbsent(rule.name(), k -> new HashMap<>());
        for (var e : seen.entrySet()) {
            if (!owns.test(e.getKey())) {
                continue;
            }
            AlertRecord r = recs.get(e.getKey());
            if (r == null) {
                if (!e.getValue().firing() && !rule.condition().seesAbsence()) {
                    continue;
                }
                r = new AlertRecord(rule.name(), e.getKey(), now);
                recs.put(e.getKey(), r);
            }
            out.addAll(r.observe(rule, e.getValue(), now));
        }
        boolean seesAbsence = rule.condition().seesAbsence();
        boolean clocks = rule.spec().noData().alert();
        for (Iterator<AlertRecord> it = recs.values().iterator(); it.hasNext(); ) {
            AlertRecord r = it.next();
            if (!seen.containsKey(r.identity())) {
                out.addAll(r.absent(rule, seesAbsence, now));
                if (r.isInactive() && (!seesAbsence || now - r.lastSeen() > FORGET_AFTER_MILLIS)) {
                    it.remove();
                    continue;
                }
            }
            clocks |= !r.isInactive();
        }
        if (clocks) {
            timed.add(rule.name());
        } else {
            timed.remove(rule.name());
        }
    }

    /** Every alert that is pending, firing or in no-data, as of {@code now}. */
    public List<AlertSnapshot> current(long now) {
        var out = new ArrayList<AlertSnapshot>();
        records.forEach((name, recs) -> {
            CompiledRule rule = rules.get(name);
            for (AlertRecord r : recs.values()) {
                AlertSnapshot s = rule == null ? null : r.current(rule, now);
                if (s != null) {
                    out.add(s);
                }
            }
        });
        return out;
    }

    /** Every evaluation judges every series: the reference the incremental path is tested against. */
    void disableIncrementalEvaluation() {
        incremental = false;
    }

    /** Cluster health as of the last tick (empty without a health evaluator). */
    public List<ClusterHealth> health() {
        return lastHealth;
    }

    /** Rules whose last evaluation failed, with the reason. */
    public Map<String, String> errors() {
        return Map.copyOf(errors);
    }

    public int seriesInWindow() {
        return window.seriesCount();
    }

    public long pointsInWindow() {
        return window.pointCount();
    }

    public long evaluations() {
        return evaluations;
    }

    public Collection<CompiledRule> rules() {
        return List.copyOf(rules.values());
    }
}
