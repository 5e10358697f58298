package io.vigil.rules.health;

import io.vigil.model.LabelMatcher;
import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;
import io.vigil.model.SeriesPoints;
import io.vigil.model.SeriesReader;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Green / yellow / red per cluster, from the latest samples of its targets (the newest point of
 * each series within the 5-minute lookback, staleness markers honoured). A cluster is the set of
 * targets that share a {@code cluster} label; its members are the targets that report {@code up},
 * so a node that died still counts (with {@code up 0}) until it is removed from the targets.
 * The rules per kind are in {@code rules/HEALTH.md}.
 */
public final class ClusterHealthEvaluator {

    public static final String METRIC = "vigil_cluster_health";
    /** The metrics health reads; the rule engine keeps them in its window. */
    public static final Set<String> INPUTS = Set.of("up", "galera_cluster_size", "galera_cluster_primary",
            "galera_local_state_synced", "mysql_read_only", "mysql_replication_broken", "redis_master",
            "redis_master_link_up", "redis_sentinel_master_ok", "redis_sentinel_master_replicas",
            "redis_sentinel_master_sentinels", "redis_sentinel_quorum", "redis_sentinel_failover_in_progress",
            "mongodb_replset_member_state", "mongodb_replset_member_healthy",
            "mysql_group_member_state", "mysql_group_member_primary", "mysql_group_local_state");
    static final long LOOKBACK_MILLIS = 5 * 60_000L;

    /** The latest value of each input series, by cluster, target and metric (series of one target and metric: by their other labels). */
    private record Node(String target, String instance, String kind, Map<String, List<Latest>> metrics) {
        Double value(String metric) {
            List<Latest> l = metrics.get(metric);
            return l == null || l.isEmpty() ? null : l.getFirst().value();
        }

        boolean up() {
            Double up = value("up");
            return up != null && up == 1;
        }

        String name() {
            return target + " (" + instance + ")";
        }

        GroupReplicationHealth.Member asGroupMember() {
            var states = new TreeMap<String, Integer>();
            for (Latest l : metrics.getOrDefault("mysql_group_member_state", List.of())) {
                states.put(l.labels().get("member"), (int) l.value());
            }
            var primaries = new TreeSet<String>();
            for (Latest l : metrics.getOrDefault("mysql_group_member_primary", List.of())) {
                if (l.value() == 1) {
                    primaries.add(l.labels().get("member"));
                }
            }
            Double local = value("mysql_group_local_state");
            return new GroupReplicationHealth.Member(name(), up(), local == null ? null : local.intValue(), states, primaries);
        }
    }

    private record Latest(Labels labels, double value) {
    }

    public List<ClusterHealth> evaluate(SeriesReader window, long now) {
        var clusters = new TreeMap<String, Map<String, Node>>();
        for (String metric : INPUTS) {
            for (SeriesPoints s : window.read(List.of(LabelMatcher.eq(LabelNames.METRIC_NAME, metric),
                    LabelMatcher.of(LabelNames.CLUSTER, LabelMatcher.Op.NEQ, "")), now - LOOKBACK_MILLIS, now)) {
                double v = s.values()[s.size() - 1];
                if (Sample.isStaleMarker(v)) {
                    continue;
                }
                Labels l = s.labels();
                String target = l.get(LabelNames.TARGET) == null ? l.get(LabelNames.INSTANCE) : l.get(LabelNames.TARGET);
                if (target == null) {
                    continue;
                }
                Node node = clusters.computeIfAbsent(l.get(LabelNames.CLUSTER), c -> new TreeMap<>()).computeIfAbsent(target,
                        t -> new Node(t, String.valueOf(l.get(LabelNames.INSTANCE)), String.valueOf(l.get(LabelNames.KIND)), new HashMap<>()));
                node.metrics().computeIfAbsent(metric, m -> new ArrayList<>()).add(new Latest(l, v));
            }
        }
        var out = new ArrayList<ClusterHealth>();
        clusters.forEach((cluster, nodes) -> {
            List<Node> all = List.copyOf(nodes.values());
            if (all.stream().anyMatch(n -> n.value("mongodb_replset_member_state") != null)) {
                out.add(mongodb(cluster, all, now));
            } else if (all.stream().anyMatch(n -> n.value("mysql_group_member_state") != null)) {
                out.add(GroupReplicationHealth.evaluate(cluster, all.stream().map(Node::asGroupMember).toList(), now));
            } else if (all.stream().anyMatch(n -> n.metrics().containsKey("galera_cluster_size"))) {
                out.add(galera(cluster, all, now));
            } else if (all.stream().anyMatch(n -> n.kind().startsWith("redis"))) {
                out.add(redis(cluster, all, now));
            } else if (all.stream().anyMatch(n -> n.metrics().containsKey("mysql_read_only"))) {
                out.add(replication(cluster, all, now));
            }
        });
        return out;
    }

    private static ClusterHealth galera(String cluster, List<Node> nodes, long now) {
        var down = new ArrayList<String>();
        var notSynced = new ArrayList<String>();
        int primary = 0;
        int serving = 0;
        for (Node n : nodes) {
            if (!n.up()) {
                down.add(n.name());
                continue;
            }
            boolean inPrimary = eq(n.value("galera_cluster_primary"), 1);
            if (inPrimary) {
                primary++;
            }
            if (inPrimary && eq(n.value("galera_local_state_synced"), 1)) {
                serving++;
            } else {
                notSynced.add(n.name() + (inPrimary ? " not Synced" : " not in the Primary component"));
            }
        }
        int members = nodes.size();
        if (primary == 0) {
            return new ClusterHealth(cluster, "galera", HealthStatus.RED, "no node is in a Primary component: the cluster refuses writes"
                    + detail(down, notSynced), members, serving, now);
        }
        if (serving == members) {
            return new ClusterHealth(cluster, "galera", HealthStatus.GREEN, "all " + members + " nodes Primary and Synced", members, serving, now);
        }
        int quorum = members / 2 + 1;
        String margin = serving - 1 < quorum ? "; one more loss stops writes" : "; can lose " + (serving - quorum) + " more";
        return new ClusterHealth(cluster, "galera", HealthStatus.YELLOW, serving + " of " + members
                + " nodes in the Primary component and Synced" + detail(down, notSynced) + margin, members, serving, now);
    }

    private static ClusterHealth replication(String cluster, List<Node> nodes, long now) {
        var primaries = new ArrayList<String>();
        var problems = new ArrayList<String>();
        int healthyReplicas = 0;
        for (Node n : nodes) {
            if (!n.up()) {
                problems.add(n.name() + " down");
            } else if (eq(n.value("mysql_read_only"), 0) && !n.metrics().containsKey("mysql_replication_broken")) {
                primaries.add(n.name());
            } else if (n.metrics().containsKey("mysql_replication_broken")) {
                boolean broken = n.metrics().get("mysql_replication_broken").stream().anyMatch(l -> l.value() == 1);
                if (broken) {
                    problems.add(n.name() + " replication broken");
                } else {
                    healthyReplicas++;
                }
                if (eq(n.value("mysql_read_only"), 0)) {
                    problems.add(n.name() + " is a writable replica");
                }
            }
        }
        int members = nodes.size();
        int serving = primaries.size() + healthyReplicas;
        if (primaries.isEmpty()) {
            return new ClusterHealth(cluster, "replication", HealthStatus.RED, "no writable primary (every server read_only, a replica, or down)"
                    + (problems.isEmpty() ? "" : "; " + String.join(", ", problems)), members, serving, now);
        }
        if (primaries.size() > 1) {
            problems.add(0, primaries.size() + " writable servers (" + String.join(", ", primaries) + "): risk of split brain");
        }
        if (healthyReplicas == 0 && members > 1 && problems.isEmpty()) {
            problems.add("no replica is replicating");
        }
        if (problems.isEmpty()) {
            return new ClusterHealth(cluster, "replication", HealthStatus.GREEN, "primary " + primaries.getFirst() + " with "
                    + healthyReplicas + " replicating " + (healthyReplicas == 1 ? "replica" : "replicas"), members, serving, now);
        }
        return new ClusterHealth(cluster, "replication", HealthStatus.YELLOW, "primary " + primaries.getFirst() + " serves; "
                + String.join(", ", problems) + (healthyReplicas == 0 ? "; no replica to fail over to" : ""), members, serving, now);
    }

    private static ClusterHealth redis(String cluster, List<Node> nodes, long now) {
        var masters = new ArrayList<String>();
        var problems = new ArrayList<String>();
        int linkedReplicas = 0;
        int servers = 0;
        for (Node n : nodes) {
            if (n.kind().equals("redis_sentinel")) {
                if (!n.up()) {
                    problems.add("sentinel " + n.name() + " down");
                    continue;
                }
                for (Latest l : n.metrics().getOrDefault("redis_sentinel_failover_in_progress", List.of())) {
                    if (l.value() == 1) {
                        problems.add("failover of " + l.labels().get("master") + " in progress");
                    }
                }
                for (Latest q : n.metrics().getOrDefault("redis_sentinel_quorum", List.of())) {
                    Double sentinels = n.metrics().getOrDefault("redis_sentinel_master_sentinels", List.of()).stream()
                            .filter(s -> s.labels().get("master").equals(q.labels().get("master"))).map(Latest::value).findFirst().orElse(null);
                    if (sentinels != null && sentinels < q.value() + 1) {
                        problems.add((int) sentinels.doubleValue() + " sentinels for a quorum of " + (int) q.value()
                                + ": one more loss and no failover can happen");
                    }
                }
                continue;
            }
            servers++;
            if (!n.up()) {
                problems.add(n.name() + " down");
            } else if (eq(n.value("redis_master"), 1)) {
                masters.add(n.name());
            } else if (eq(n.value("redis_master_link_up"), 1)) {
                linkedReplicas++;
            } else {
                problems.add("replica " + n.name() + " has no link to its master");
            }
        }
        int serving = masters.size() + linkedReplicas;
        if (masters.isEmpty()) {
            return new ClusterHealth(cluster, "redis", HealthStatus.RED, "no master up" + (problems.isEmpty() ? "" : "; "
                    + String.join(", ", problems)), servers, serving, now);
        }
        if (linkedReplicas == 0 && problems.stream().noneMatch(p -> p.contains("replica"))) {
            problems.add("no replica: losing " + masters.getFirst() + " loses the data set");
        }
        if (problems.isEmpty()) {
            return new ClusterHealth(cluster, "redis", HealthStatus.GREEN, "master " + masters.getFirst() + " with " + linkedReplicas
                    + " linked " + (linkedReplicas == 1 ? "replica" : "replicas"), servers, serving, now);
        }
        return new ClusterHealth(cluster, "redis", HealthStatus.YELLOW, "master " + masters.getFirst() + " serves; "
                + String.join(", ", problems), servers, serving, now);
    }

    /** MongoDB states: 1 PRIMARY, 2 SECONDARY, 7 ARBITER; the others are not serving. */
    private static ClusterHealth mongodb(String cluster, List<Node> nodes, long now) {
        var members = new TreeMap<String, Double>();
        var unhealthy = new TreeSet<String>();
        for (Node n : nodes) {
            for (Latest l : n.metrics().getOrDefault("mongodb_replset_member_state", List.of())) {
                members.put(l.labels().get("member"), l.value());
            }
            for (Latest l : n.metrics().getOrDefault("mongodb_replset_member_healthy", List.of())) {
                if (l.value() == 0) {
                    unhealthy.add(l.labels().get("member"));
                }
            }
        }
        long primaries = members.values().stream().filter(v -> v == 1).count();
        long serving = members.entrySet().stream().filter(e -> (e.getValue() == 1 || e.getValue() == 2 || e.getValue() == 7)
                && !unhealthy.contains(e.getKey())).count();
        int total = members.size();
        if (primaries == 0) {
            return new ClusterHealth(cluster, "mongodb", HealthStatus.RED, "no PRIMARY: the replica set refuses writes"
                    + (unhealthy.isEmpty() ? "" : "; unhealthy: " + String.join(", ", unhealthy)), total, (int) serving, now);
        }
        if (serving == total) {
            return new ClusterHealth(cluster, "mongodb", HealthStatus.GREEN, "PRIMARY and " + (total - 1) + " healthy members", total, (int) serving, now);
        }
        var notServing = new TreeSet<String>(unhealthy);
        members.forEach((m, s) -> {
            if (s != 1 && s != 2 && s != 7) {
                notServing.add(m);
            }
        });
        String margin = serving - 1 < total / 2 + 1 ? "; one more loss and no PRIMARY can be elected" : "";
        return new ClusterHealth(cluster, "mongodb", HealthStatus.YELLOW, serving + " of " + total + " members healthy; not serving: "
                + String.join(", ", notServing) + margin, total, (int) serving, now);
    }

    /** The health as samples: {@code vigil_cluster_health{cluster, kind}}, one batch per cluster. */
    public static List<SampleBatch> asSamples(List<ClusterHealth> health, long now) {
        var byCluster = new TreeMap<String, List<Sample>>();
        for (ClusterHealth h : health) {
            byCluster.computeIfAbsent(h.cluster(), c -> new ArrayList<>())
                    .add(new Sample(METRIC, Labels.of(LabelNames.KIND, h.kind()), h.status().value()));
        }
        var out = new ArrayList<SampleBatch>();
        byCluster.forEach((cluster, samples) -> out.add(new SampleBatch("vigil-health/" + cluster, now,
                Labels.of(LabelNames.CLUSTER, cluster), samples)));
        return out;
    }

    private static boolean eq(Double v, double expected) {
        return v != null && v == expected;
    }

    private static String detail(List<String> down, List<String> notServing) {
        var parts = new ArrayList<String>();
        if (!down.isEmpty()) {
            parts.add(String.join(", ", down) + " down");
        }
        parts.addAll(notServing);
        return parts.isEmpty() ? "" : "; " + String.join(", ", parts);
    }
}
