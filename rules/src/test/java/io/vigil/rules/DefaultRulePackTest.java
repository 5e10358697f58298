package io.vigil.rules;

import io.vigil.model.AlertState;
import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;
import io.vigil.model.Severity;
import io.vigil.rules.health.ClusterHealthEvaluator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rule of the default pack, driven by the samples the collector sends for its fault: quiet
 * on healthy values, firing with the right severity and text once the fault has lasted its
 * {@code for}, and (where the rule has hysteresis) not resolving in the band.
 */
class DefaultRulePackTest {

    private static final long S = 1000;
    private static final Labels MYSQL = Labels.of("cluster", "pay", "instance", "db2:3306", "target", "pay-db2", "kind", "mysql");
    private static final Labels REDIS = Labels.of("cluster", "cache", "instance", "r1:6379", "target", "cache-r1", "kind", "redis");
    private static final Labels SENTINEL = Labels.of("cluster", "cache", "instance", "s1:26379", "target", "cache-s1", "kind", "redis_sentinel");
    private static final Labels MONGO = Labels.of("cluster", "rs0", "instance", "m1:27017", "target", "rs0-m1", "kind", "mongodb");
    private static final Labels CONTAINER = Labels.of("cluster", "k8s", "instance", "node1", "target", "node1-cgroups", "kind", "containers");

    static List<CompiledRule> pack() {
        try (var in = DefaultRulePackTest.class.getClassLoader().getResourceAsStream(RuleRegistry.DEFAULT_PACK)) {
            return RuleSetParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "builtin");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One fault: the target, the metric and its labels, a healthy value, a faulty value, how long the fault must
     * last before the alert (the rule's for plus scrape slack), and the summary the DBA reads.
     */
    record Fault(String rule, Labels target, String metric, Labels sampleLabels, double healthy, double faulty,
                 long fireWithinSeconds, Severity severity, String summary) {
        @Override
        public String toString() {
            return rule;
        }
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                new Fault("MySQLReplicationBroken", MYSQL, "mysql_replication_broken", Labels.of("channel", "a"), 0, 1, 20, Severity.SEVERE,
                        "Replication broken on db2:3306 (cluster pay)"),
                new Fault("MySQLReplicationLag", MYSQL, "mysql_replication_lag_seconds", Labels.EMPTY, 0, 95, 70, Severity.NORMAL,
                        "db2:3306 is 1m 35s behind its primary"),
                new Fault("GaleraNonPrimary", MYSQL, "galera_cluster_primary", Labels.EMPTY, 1, 0, 20, Severity.SEVERE,
                        "Galera node db2:3306 is not in the Primary component"),
                new Fault("GaleraNodeNotSynced", MYSQL, "galera_local_state_synced", Labels.EMPTY, 1, 0, 70, Severity.NORMAL,
                        "Galera node db2:3306 is not Synced"),
                new Fault("GaleraFlowControl", MYSQL, "galera_flow_control_paused_ratio", Labels.EMPTY, 0, 0.35, 70, Severity.NORMAL,
                        "Galera replication paused 35% of the time on db2:3306"),
                new Fault("MySQLGroupMemberNotOnline", MYSQL, "mysql_group_local_state", Labels.EMPTY, 1, 4, 70, Severity.NORMAL,
                        "Group Replication member db2:3306 is not ONLINE"),
                new Fault("MySQLGroupApplierQueue", MYSQL, "mysql_group_applier_queue", Labels.EMPTY, 12, 53794, 130, Severity.NORMAL,
                        "53794 transactions waiting to be applied on db2:3306"),
                new Fault("MySQLTooManyThreadsRunning", MYSQL, "mysql_threads_running", Labels.EMPTY, 8, 200, 130, Severity.NORMAL,
                        "200 threads running on db2:3306"),
                new Fault("MySQLBufferPoolHitRatioLow", MYSQL, "mysql_innodb_buffer_pool_hit_ratio", Labels.EMPTY, 0.999, 0.8, 610,
                        Severity.NORMAL, "InnoDB buffer pool hit ratio 80% on db2:3306"),
                new Fault("MySQLDeadlocks", MYSQL, "mysql_innodb_deadlocks_per_second", Labels.EMPTY, 0, 2, 100, Severity.NORMAL,
                        "0.52 deadlocks/s on db2:3306 (5-minute average)"),
                new Fault("MySQLConnectionRefusals", MYSQL, "mysql_connections_refused_per_second", Labels.EMPTY, 0, 3, 70,
                        Severity.NORMAL, "db2:3306 refuses connections (3/s)"),
                new Fault("RedisMemoryNearMax", REDIS, "redis_memory_used_ratio", Labels.EMPTY, 0.5, 0.97, 310, Severity.NORMAL,
                        "Redis r1:6379 uses 97% of maxmemory"),
                new Fault("RedisReplicaLinkDown", REDIS, "redis_master_link_up", Labels.EMPTY, 1, 0, 40, Severity.SEVERE,
                        "Redis replica r1:6379 lost its master link"),
                new Fault("RedisFailoverInProgress", SENTINEL, "redis_sentinel_failover_in_progress", Labels.of("master", "mymaster"), 0, 1,
                        10, Severity.SEVERE, "Sentinel is failing over mymaster"),
                new Fault("RedisReplicaPromoted", REDIS, "redis_master", Labels.EMPTY, 0, 1, 10, Severity.NORMAL,
                        "Redis r1:6379 was promoted to master"),
                new Fault("MongoDBMemberUnhealthy", MONGO, "mongodb_replset_member_healthy", Labels.of("member", "m3:27017"), 1, 0, 70,
                        Severity.SEVERE, "MongoDB member m3:27017 of rs0 is unhealthy"),
                new Fault("MongoDBReplicationLag", MONGO, "mongodb_replset_member_lag_seconds", Labels.of("member", "m3:27017"), 1, 45, 130,
                        Severity.NORMAL, "MongoDB member m3:27017 is 45s behind"),
                new Fault("ContainerCpuThrottled", CONTAINER, "container_cpu_throttled_ratio", Labels.of("container", "mysql-0"), 0, 0.5, 310,
                        Severity.NORMAL, "Container mysql-0 is CPU-throttled 50% of periods"),
                new Fault("ContainerMemoryNearLimit", CONTAINER, "container_memory_used_ratio", Labels.of("container", "mysql-0"), 0.5, 0.95,
                        310, Severity.NORMAL, "Container mysql-0 uses 95% of its memory limit"),
                new Fault("TargetDown", MYSQL, "up", Labels.EMPTY, 1, 0, 70, Severity.NORMAL, "pay-db2 (db2:3306) cannot be scraped")
        ).map(Arguments::of);
    }

    private final RuleEngine engine = new RuleEngine(new ClusterHealthEvaluator());
    private final List<AlertSnapshot> events = new ArrayList<>();
    private long now = 1_800_000_000_000L;

    private void scrapes(Labels target, String metric, Labels sampleLabels, double value, long seconds) {
        for (long end = now + seconds * S; now < end; ) {
            now += 10 * S;
            engine.accept(new SampleBatch(target.get("target"), now, target, List.of(new Sample(metric, sampleLabels, value))));
            events.addAll(engine.evaluate(now, false));
            events.addAll(engine.evaluate(now, true));
        }
    }

    private List<AlertSnapshot> firing(String rule) {
        return events.stream().filter(e -> e.rule().equals(rule) && e.state() == AlertState.FIRING).toList();
    }

    @Test
    void thePackLoadsAndEveryRuleSaysHowBadAndWhatItMeans() {
        List<CompiledRule> pack = pack();
        assertThat(pack).hasSizeGreaterThanOrEqualTo(20);
        var names = new HashSet<String>();
        for (CompiledRule r : pack) {
            assertThat(names.add(r.name())).as("unique name %s", r.name()).isTrue();
            assertThat(r.spec().annotations()).as(r.name()).containsKeys("summary", "description");
            assertThat(r.spec().labels()).as(r.name()).containsEntry("pack", "default");
        }
        // every rule of the pack is exercised here or in the cluster-health and container OOM tests below
        var covered = new HashSet<String>();
        faults().forEach(a -> covered.add(((Fault) a.get()[0]).rule()));
        covered.addAll(List.of("ClusterDegraded", "ClusterDown", "ContainerOomKill"));
        assertThat(names).isEqualTo(covered);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void firesOnTheFaultAfterItsForAndStaysQuietWhenHealthy(Fault f) {
        engine.setRules(pack(), now);
        scrapes(f.target(), f.metric(), f.sampleLabels(), f.healthy(), 900);
        assertThat(firing(f.rule())).as("quiet while healthy").isEmpty();
        long faultStart = now;
        scrapes(f.target(), f.metric(), f.sampleLabels(), f.faulty(), f.fireWithinSeconds());
        assertThat(firing(f.rule())).as("firing after %d s of the fault", f.fireWithinSeconds()).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(f.severity());
            assertThat(a.annotations().get("summary")).isEqualTo(f.summary());
            assertThat(a.firedAtMillis() - faultStart).isGreaterThanOrEqualTo(a.activeAtMillis() - faultStart);
        });
        // The synthetic cluster has this one node only, so its health is judged too (a lone Redis replica has no master).
        assertThat(events).as("no other rule fires for this fault").filteredOn(e -> e.state() == AlertState.FIRING)
                .extracting(AlertSnapshot::rule).filteredOn(r -> !r.startsWith("Cluster")).containsOnly(f.rule());
    }

    @Test
    void replicationLagKeepsFiringInTheBandAndEscalatesWhenItLasts() {
        engine.setRules(pack(), now);
        scrapes(MYSQL, "mysql_replication_lag_seconds", Labels.EMPTY, 60, 70);
        assertThat(firing("MySQLReplicationLag")).hasSize(1);
        scrapes(MYSQL, "mysql_replication_lag_seconds", Labels.EMPTY, 12, 600); // below 30, above 5: still firing
        scrapes(MYSQL, "mysql_replication_lag_seconds", Labels.EMPTY, 12, 300); // 15 minutes firing: severe
        assertThat(firing("MySQLReplicationLag")).extracting(AlertSnapshot::severity).containsExactly(Severity.NORMAL, Severity.SEVERE);
        scrapes(MYSQL, "mysql_replication_lag_seconds", Labels.EMPTY, 1, 110);
        assertThat(events).noneMatch(e -> e.state() == AlertState.RESOLVED);
        scrapes(MYSQL, "mysql_replication_lag_seconds", Labels.EMPTY, 1, 20);
        assertThat(events).filteredOn(e -> e.state() == AlertState.RESOLVED).extracting(AlertSnapshot::rule)
                .containsExactly("MySQLReplicationLag");
    }

    @Test
    void brokenReplicationIsBrokenNotALagOfZero() {
        engine.setRules(pack(), now);
        scrapes(MYSQL, "mysql_replication_lag_seconds", Labels.EMPTY, 90, 70);
        assertThat(firing("MySQLReplicationLag")).hasSize(1);
        // The SQL thread stops: the collector sends broken=1 and marks the lag series stale (NULL lag, no sample).
        now += 10 * S;
        engine.accept(new SampleBatch("pay-db2", now, MYSQL, List.of(new Sample("mysql_replication_broken", Labels.EMPTY, 1),
                new Sample("mysql_replication_lag_seconds", Labels.EMPTY, Sample.STALE_NAN))));
        events.addAll(engine.evaluate(now, true));
        scrapes(MYSQL, "mysql_replication_broken", Labels.EMPTY, 1, 30);
        assertThat(firing("MySQLReplicationBroken")).singleElement().satisfies(a -> assertThat(a.severity()).isEqualTo(Severity.SEVERE));
        assertThat(events).as("the lag alert is not resolved by the missing lag").noneMatch(e -> e.state() == AlertState.RESOLVED);
        scrapes(MYSQL, "mysql_replication_broken", Labels.EMPTY, 1, 300);
        assertThat(events).filteredOn(e -> e.rule().equals("MySQLReplicationLag")).extracting(e -> e.state().wireName())
                .containsExactly("pending", "firing", "nodata");
    }

    @Test
    void aGaleraClusterThatLosesANodeIsDegradedAndOneWithoutAPrimaryComponentIsDown() {
        engine.setRules(pack(), now);
        for (int round = 0; round < 3; round++) {
            now += 10 * S;
            for (int i = 1; i <= 3; i++) {
                var node = Labels.of("cluster", "gal", "instance", "g" + i + ":3306", "target", "g" + i, "kind", "mysql");
                boolean dead = round > 0 && i == 3;
                boolean lost = round == 2;
                engine.accept(new SampleBatch("g" + i, now, node, dead ? List.of(Sample.of("up", 0)) : List.of(Sample.of("up", 1),
                        Sample.of("galera_cluster_size", lost ? 1 : 2), Sample.of("galera_cluster_primary", lost ? 0 : 1),
                        Sample.of("galera_local_state_synced", lost ? 0 : 1))));
            }
            for (int tick = 0; tick < 15; tick++) {
                now += S;
                events.addAll(engine.evaluate(now, true));
            }
        }
        assertThat(firing("ClusterDegraded")).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Severity.SEVERE);
            assertThat(a.annotations().get("summary")).isEqualTo("galera cluster gal is degraded");
        });
        assertThat(firing("ClusterDown")).singleElement().satisfies(a ->
                assertThat(a.annotations().get("summary")).isEqualTo("galera cluster gal is not serving"));
    }

    @Test
    void anOomKillInAContainerIsSevereAndStaysInViewForFifteenMinutes() {
        engine.setRules(pack(), now);
        var l = Labels.of("container", "mysql-0");
        scrapes(CONTAINER, "container_oom_kills_per_second", l, 0, 300);
        assertThat(firing("ContainerOomKill")).isEmpty();
        scrapes(CONTAINER, "container_oom_kills_per_second", l, 0.1, 10); // one kill in a 10 s scrape
        assertThat(firing("ContainerOomKill")).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Severity.SEVERE);
            assertThat(a.annotations().get("summary")).isEqualTo("A process in container mysql-0 was OOM-killed");
        });
        scrapes(CONTAINER, "container_oom_kills_per_second", l, 0, 14 * 60);
        assertThat(events).noneMatch(e -> e.rule().equals("ContainerOomKill") && e.state() == AlertState.RESOLVED);
        scrapes(CONTAINER, "container_oom_kills_per_second", l, 0, 70);
        assertThat(events).anyMatch(e -> e.rule().equals("ContainerOomKill") && e.state() == AlertState.RESOLVED);
    }
}
