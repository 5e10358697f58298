package io.vigil.rules.health;

import java.util.Objects;

/**
 * One cluster's health at one moment.
 *
 * @param kind    {@code galera}, {@code replication}, {@code redis} or {@code mongodb}
 * @param reason  one sentence a DBA can act on ({@code "2 of 3 nodes in the Primary component and Synced; g3 (127.0.0.1:33083) down"})
 * @param members the nodes the cluster is configured with (its targets)
 * @param serving the nodes doing their job
 */
public record ClusterHealth(String cluster, String kind, HealthStatus status, String reason, int members, int serving,
                            long atMillis) {

    public ClusterHealth {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
    }
}
