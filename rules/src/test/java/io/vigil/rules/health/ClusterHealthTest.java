package io.vigil.rules.health;

import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;
import io.vigil.rules.RuleEngine;
import io.vigil.rules.RuleSetParser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Health per kind from the samples the collector sends, through the engine that computes it every tick. */
class ClusterHealthTest {

    private static final long T = 1_800_000_000_000L;

    private final RuleEngine engine = new RuleEngine(new ClusterHealthEvaluator());
    private long now = T;

    ClusterHealthTest() {
        engine.setRules(RuleSetParser.parse("""
                rules:
                  - name: ClusterDegraded
                    expr: vigil_cluster_health == 1
                """, "t.yaml"), now);
    }

    private static Labels node(String cluster, String target, String kind) {
        return Labels.of("cluster", cluster, "target", target, "instance", target + ":1", "kind", kind);
    }

    private void scrape(Labels target, Object... metricsAndValues) {
        var samples = new ArrayList<Sample>();
        for (int i = 0; i < metricsAndValues.length; i += 2) {
            String m = (String) metricsAndValues[i];
            Object v = metricsAndValues[i + 1];
            if (v instanceof Sample s) {
                samples.add(new Sample(m, s.labels(), s.value()));
            } else {
                samples.add(Sample.of(m, ((Number) v).doubleValue()));
            }
        }
        engine.accept(new SampleBatch(target.get("target"), now, target, samples));
    }

    private static Sample with(String label, String value, double v) {
        return new Sample("x", Labels.of(label, value), v);
    }

    private ClusterHealth health(String cluster) {
        now += 1000;
        engine.evaluate(now, true);
        return engine.health().stream().filter(h -> h.cluster().equals(cluster)).findFirst().orElseThrow();
    }

    private void galeraNode(int i, double size, double primary, double synced) {
        scrape(node("gal", "g" + i, "mysql"), "up", 1, "galera_cluster_size", size, "galera_cluster_primary", primary,
                "galera_local_state_synced", synced);
    }

    @Test
    void galeraIsGreenWithAllNodesYellowWhenOneIsLostAndRedWithoutAPrimaryComponent() {
        for (int i = 1; i <= 3; i++) {
            galeraNode(i, 3, 1, 1);
        }
        assertThat(health("gal")).satisfies(h -> {
            assertThat(h.status()).isEqualTo(HealthStatus.GREEN);
            assertThat(h.reason()).isEqualTo("all 3 nodes Primary and Synced");
        });
        now += 5000;
        galeraNode(1, 2, 1, 1);
        galeraNode(2, 2, 1, 1);
        scrape(node("gal", "g3", "mysql"), "up", 0, "galera_cluster_size", Sample.STALE_NAN);
        ClusterHealth h = health("gal");
        assertThat(h.status()).isEqualTo(HealthStatus.YELLOW);
        assertThat(h.reason()).isEqualTo("2 of 3 nodes in the Primary component and Synced; g3 (g3:1) down; one more loss stops writes");
        assertThat(h.members()).isEqualTo(3);
        assertThat(h.serving()).isEqualTo(2);
        assertThat(engine.current(now)).singleElement().satisfies(a -> assertThat(a.labels().asMap())
                .containsEntry("alertname", "ClusterDegraded").containsEntry("cluster", "gal").containsEntry("kind", "galera"));

        galeraNode(1, 1, 0, 0);
        galeraNode(2, 1, 0, 0);
        assertThat(health("gal").status()).isEqualTo(HealthStatus.RED);
        assertThat(health("gal").reason()).startsWith("no node is in a Primary component: the cluster refuses writes; g3 (g3:1) down");
    }

    @Test
    void aDonorNodeMakesGaleraYellow() {
        galeraNode(1, 3, 1, 1);
        galeraNode(2, 3, 1, 0);
        galeraNode(3, 3, 1, 1);
        assertThat(health("gal").reason()).isEqualTo("2 of 3 nodes in the Primary component and Synced; g2 (g2:1) not Synced; one more loss stops writes");
    }

    @Test
    void replicationNeedsOneWritablePrimaryAndWorkingReplicas() {
        Labels primary = node("pay", "p1", "mysql");
        Labels replica = node("pay", "r1", "mysql");
        scrape(primary, "up", 1, "mysql_read_only", 0);
        scrape(replica, "up", 1, "mysql_read_only", 1, "mysql_replication_broken", with("channel", "", 0));
        assertThat(health("pay")).satisfies(h -> {
            assertThat(h.status()).isEqualTo(HealthStatus.GREEN);
            assertThat(h.reason()).isEqualTo("primary p1 (p1:1) with 1 replicating replica");
        });
        scrape(replica, "up", 1, "mysql_read_only", 1, "mysql_replication_broken", with("channel", "", 1));
        assertThat(health("pay")).satisfies(h -> {
            assertThat(h.status()).isEqualTo(HealthStatus.YELLOW);
            assertThat(h.reason()).isEqualTo("primary p1 (p1:1) serves; r1 (r1:1) replication broken; no replica to fail over to");
        });
        scrape(primary, "up", 0);
        assertThat(health("pay")).satisfies(h -> {
            assertThat(h.status()).isEqualTo(HealthStatus.RED);
            assertThat(h.reason()).startsWith("no writable primary");
        });
    }

    @Test
    void redisIsGreenWithAMasterAndALinkedReplicaAndRedWithoutAMaster() {
        Labels m = node("cache", "m", "redis");
        Labels r = node("cache", "r", "redis");
        Labels s = node("cache", "s", "redis_sentinel");
        scrape(m, "up", 1, "redis_master", 1);
        scrape(r, "up", 1, "redis_master", 0, "redis_master_link_up", 1);
        scrape(s, "up", 1, "redis_sentinel_quorum", with("master", "mymaster", 1), "redis_sentinel_master_sentinels", with("master", "mymaster", 1),
                "redis_sentinel_failover_in_progress", with("master", "mymaster", 0));
        assertThat(health("cache").status()).isEqualTo(HealthStatus.YELLOW);
        assertThat(health("cache").reason()).isEqualTo("master m (m:1) serves; 1 sentinels for a quorum of 1: one more loss and no failover can happen");

        scrape(s, "up", 1, "redis_sentinel_quorum", with("master", "mymaster", 2), "redis_sentinel_master_sentinels", with("master", "mymaster", 3),
                "redis_sentinel_failover_in_progress", with("master", "mymaster", 0));
        assertThat(health("cache")).satisfies(h -> {
            assertThat(h.status()).isEqualTo(HealthStatus.GREEN);
            assertThat(h.reason()).isEqualTo("master m (m:1) with 1 linked replica");
        });
        scrape(m, "up", 0);
        scrape(r, "up", 1, "redis_master", 0, "redis_master_link_up", 0);
        assertThat(health("cache").status()).isEqualTo(HealthStatus.RED);
        scrape(r, "up", 1, "redis_master", 1);
        assertThat(health("cache")).satisfies(h -> {
            assertThat(h.status()).isEqualTo(HealthStatus.YELLOW);
            assertThat(h.reason()).isEqualTo("master r (r:1) serves; m (m:1) down, no replica: losing r (r:1) loses the data set");
        });
    }

    @Test
    void mongoDbNeedsAPrimaryAndHealthyMembers() {
        Labels n = node("rs0", "mongo1", "mongodb");
        scrape(n, "up", 1, "mongodb_replset_member_state", with("member", "a:27017", 1),
                "mongodb_replset_member_state", with("member", "b:27017", 2), "mongodb_replset_member_state", with("member", "c:27017", 2),
                "mongodb_replset_member_healthy", with("member", "c:27017", 1));
        assertThat(health("rs0").status()).isEqualTo(HealthStatus.GREEN);
        scrape(n, "up", 1, "mongodb_replset_member_state", with("member", "a:27017", 1),
                "mongodb_replset_member_state", with("member", "b:27017", 2), "mongodb_replset_member_state", with("member", "c:27017", 8),
                "mongodb_replset_member_healthy", with("member", "c:27017", 0));
        assertThat(health("rs0")).satisfies(h -> {
            assertThat(h.status()).isEqualTo(HealthStatus.YELLOW);
            assertThat(h.reason()).isEqualTo("2 of 3 members healthy; not serving: c:27017; one more loss and no PRIMARY can be elected");
        });
        scrape(n, "up", 1, "mongodb_replset_member_state", with("member", "a:27017", 2),
                "mongodb_replset_member_state", with("member", "b:27017", 2), "mongodb_replset_member_state", with("member", "c:27017", 8));
        assertThat(health("rs0").status()).isEqualTo(HealthStatus.RED);
    }

    /**
     * One scrape of a Group Replication member: its own state and its view, member by member ("m2=5" is m2:3306
     * UNREACHABLE; "m3=-" a member that left the view, whose series the collector ends with a staleness marker).
     */
    private void groupMember(int i, double localState, String primary, String... view) {
        var values = new ArrayList<Object>(List.of("up", 1, "mysql_group_local_state", localState));
        for (String v : view) {
            String member = v.substring(0, v.indexOf('=')) + ":3306";
            String state = v.substring(v.indexOf('=') + 1);
            values.addAll(List.of("mysql_group_member_state", with("member", member, state.equals("-") ? Sample.STALE_NAN : Double.parseDouble(state)),
                    "mysql_group_member_primary", with("member", member, state.equals("-") ? Sample.STALE_NAN : member.equals(primary + ":3306") ? 1 : 0)));
        }
        scrape(node("mgr", "m" + i, "mysql"), values.toArray());
    }

    @Test
    void groupReplicationTakesTheMajorityViewAndSaysHowManyMoreLossesItBears() {
        for (int i = 1; i <= 3; i++) {
            groupMember(i, 1, "m1", "m1=1", "m2=1", "m3=1");
        }
        assertThat(health("mgr")).satisfies(h -> {
            assertThat(h.kind()).isEqualTo("group_replication");
            assertThat(h.status()).isEqualTo(HealthStatus.GREEN);
            assertThat(h.reason()).isEqualTo("all 3 members ONLINE, primary m1:3306");
        });

        // m3 is killed: the others expel it within a few seconds and their views shrink to two
        now += 10_000;
        groupMember(1, 1, "m1", "m1=1", "m2=1", "m3=-");
        groupMember(2, 1, "m1", "m1=1", "m2=1", "m3=-");
        scrape(node("mgr", "m3", "mysql"), "up", 0, "mysql_group_local_state", Sample.STALE_NAN);
        assertThat(health("mgr")).satisfies(h -> {
            assertThat(h.status()).isEqualTo(HealthStatus.YELLOW);
            assertThat(h.reason()).isEqualTo("2 of 3 members ONLINE; m3 (m3:1) down; one more loss stops writes");
            assertThat(h.members()).isEqualTo(3);
            assertThat(h.serving()).isEqualTo(2);
        });

        // m3 restarts and rejoins: RECOVERING while it catches up
        now += 10_000;
        groupMember(1, 1, "m1", "m1=1", "m2=1", "m3=2");
        groupMember(2, 1, "m1", "m1=1", "m2=1", "m3=2");
        groupMember(3, 2, "m1", "m1=1", "m2=1", "m3=2");
        // it counts for the majority, so losing one ONLINE member still leaves one to serve
        assertThat(health("mgr").reason()).isEqualTo("2 of 3 members ONLINE; m3:3306 RECOVERING; can lose 1 more");

        // an expelled member sees only itself, in ERROR
        now += 10_000;
        groupMember(1, 1, "m1", "m1=1", "m2=1", "m3=-");
        groupMember(2, 1, "m1", "m1=1", "m2=1", "m3=-");
        groupMember(3, 4, "m1", "m1=-", "m2=-", "m3=4");
        assertThat(health("mgr")).satisfies(h -> {
            assertThat(h.status()).isEqualTo(HealthStatus.YELLOW);
            assertThat(h.reason()).isEqualTo("2 of 3 members ONLINE; m3 (m3:1) is ERROR (not in the group); one more loss stops writes");
        });

        // a partition leaves m1 alone: it sees the others UNREACHABLE, and they cannot be scraped
        now += 10_000;
        groupMember(1, 1, "m1", "m1=1", "m2=5", "m3=5");
        scrape(node("mgr", "m2", "mysql"), "up", 0, "mysql_group_local_state", Sample.STALE_NAN);
        scrape(node("mgr", "m3", "mysql"), "up", 0, "mysql_group_local_state", Sample.STALE_NAN);
        assertThat(health("mgr")).satisfies(h -> {
            assertThat(h.status()).isEqualTo(HealthStatus.RED);
            assertThat(h.reason()).startsWith("majority lost: 1 of 3 members reachable, the group blocks writes")
                    .contains("m2:3306 UNREACHABLE, m3:3306 UNREACHABLE");
        });
    }

    @Test
    void aFiveMemberGroupWithOneUnreachableCanLoseOneMore() {
        for (int i = 1; i <= 5; i++) {
            groupMember(i, 1, "m1", "m1=1", "m2=1", "m3=1", "m4=1", "m5=5");
        }
        assertThat(health("mgr").reason()).isEqualTo("4 of 5 members ONLINE; m5:3306 UNREACHABLE; can lose 1 more");
    }

    @Test
    void aGroupWhosePrimaryIsNotOnlineTakesNoWrites() {
        for (int i = 1; i <= 3; i++) {
            groupMember(i, 1, "m1", "m1=2", "m2=1", "m3=1");
        }
        assertThat(health("mgr")).satisfies(h -> {
            assertThat(h.status()).isEqualTo(HealthStatus.RED);
            assertThat(h.reason()).isEqualTo("no ONLINE primary: the group takes no writes");
        });
    }

    @Test
    void healthGoesOutAsSamplesThatRulesAndTheStoreRead() {
        var batches = ClusterHealthEvaluator.asSamples(List.of(new ClusterHealth("gal", "galera", HealthStatus.YELLOW, "r", 3, 2, T)), T);
        assertThat(batches).singleElement().satisfies(b -> {
            assertThat(b.partitionKey()).isEqualTo("gal");
            assertThat(b.seriesLabels(b.samples().getFirst()).asMap()).containsEntry("cluster", "gal").containsEntry("kind", "galera");
            assertThat(b.samples().getFirst().value()).isEqualTo(1.0);
        });
    }
}
