package io.vigil.server.faults;

import io.vigil.collector.SamplePublisher;
import io.vigil.collector.ScrapeScheduler;
import io.vigil.collector.mysql.MySqlScraperFactory;
import io.vigil.collector.redis.RedisClientResources;
import io.vigil.collector.redis.RedisScraperFactory;
import io.vigil.collector.redis.SentinelScraperFactory;
import io.vigil.model.AlertState;
import io.vigil.model.SampleBatch;
import io.vigil.model.Target;
import io.vigil.rules.AlertSnapshot;
import io.vigil.rules.CompiledRule;
import io.vigil.rules.RuleEngine;
import io.vigil.rules.RuleSetParser;
import io.vigil.rules.health.ClusterHealth;
import io.vigil.rules.health.ClusterHealthEvaluator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The real collector scraping real servers every second, its batches fed to a rule engine the way
 * the rules role feeds it (accept, evaluate what changed, tick), on the test's thread; Kafka and
 * PostgreSQL are left out here, they have their own tests.
 */
final class AlertHarness implements SamplePublisher {

    private final LinkedBlockingQueue<SampleBatch> batches = new LinkedBlockingQueue<>();
    private final RuleEngine engine = new RuleEngine(new ClusterHealthEvaluator());
    private final ScrapeScheduler scheduler;
    private final RedisClientResources redis = new RedisClientResources();
    private final List<AlertSnapshot> events = new ArrayList<>();
    private long nextTick;

    AlertHarness(List<CompiledRule> rules) {
        engine.setRules(rules, System.currentTimeMillis());
        scheduler = new ScrapeScheduler(List.of(new MySqlScraperFactory(), new RedisScraperFactory(redis), new SentinelScraperFactory(redis)), this);
    }

    /** The default pack with these rules laid over it, as a rule file of the same names would be. */
    static List<CompiledRule> defaultsWith(String overridesYaml) {
        var byName = new java.util.LinkedHashMap<String, CompiledRule>();
        try (var in = AlertHarness.class.getClassLoader().getResourceAsStream(io.vigil.rules.RuleRegistry.DEFAULT_PACK)) {
            for (CompiledRule r : RuleSetParser.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), "builtin")) {
                byName.put(r.name(), r);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        for (CompiledRule r : RuleSetParser.parse(overridesYaml, "overrides.yaml")) {
            byName.put(r.name(), r);
        }
        return List.copyOf(byName.values());
    }

    void scrape(List<Target> targets) {
        scheduler.start(targets);
    }

    @Override
    public void publish(SampleBatch batch) {
        batches.add(batch);
    }

    /** Runs the engine until an alert change matches; fails with every change seen when none does in time. */
    AlertSnapshot await(String what, Duration within, Predicate<AlertSnapshot> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        int from = events.size();
        while (System.nanoTime() < deadline) {
            SampleBatch b = batches.poll(100, TimeUnit.MILLISECONDS);
            while (b != null) {
                engine.accept(b);
                b = batches.poll();
            }
            long now = System.currentTimeMillis();
            events.addAll(engine.evaluate(now, false));
            if (now >= nextTick) {
                events.addAll(engine.evaluate(now, true));
                nextTick = now + 250;
            }
            for (int i = from; i < events.size(); i++) {
                if (wanted.test(events.get(i))) {
                    return events.get(i);
                }
            }
        }
        throw new AssertionError("within " + within.toSeconds() + " s, expected " + what + "; alert changes: "
                + events.stream().map(AlertHarness::describe).toList());
    }

    /** Runs the engine for a while and returns the changes of that time. */
    List<AlertSnapshot> run(Duration d) throws InterruptedException {
        int from = events.size();
        try {
            await("nothing", d, e -> false);
        } catch (AssertionError expected) {
            // ran for the whole time
        }
        return List.copyOf(events.subList(from, events.size()));
    }

    /** Cluster health as of the engine's last tick. */
    List<ClusterHealth> health() {
        return engine.health();
    }

    /** Replaces a target's definition (a node that came back on another address). */
    void rescrape(Target target) {
        scheduler.put(target);
    }

    List<AlertSnapshot> events() {
        return List.copyOf(events);
    }

    static Predicate<AlertSnapshot> change(String rule, AlertState state) {
        return e -> e.rule().equals(rule) && e.state() == state;
    }

    static String describe(AlertSnapshot e) {
        return e.rule() + " " + (e.previous() == null ? "new" : e.previous().wireName()) + "->" + e.state().wireName()
                + " " + e.labels().get("instance") + " value=" + e.value();
    }

    @Override
    public void close() {
        scheduler.close();
        redis.close();
    }
}
