package io.vigil.model;

import java.time.Duration;
import java.util.Objects;

/**
 * Something Vigil scrapes: a database instance (or, later, a container or a cluster endpoint).
 *
 * @param id       unique, stable name of the target, e.g. {@code pay-db-1}
 * @param kind     decides the scraper
 * @param address  {@code host:port}
 * @param cluster  the cluster the instance belongs to, or null
 * @param user     login user, may be empty
 * @param password login password; masked in every toString
 * @param interval time between scrapes
 * @param timeout  longest a scrape may take before it counts as failed ({@code up} = 0)
 * @param labels   the user's own labels ({@code service}, {@code idc}, {@code team}…)
 * @param discover scrape too the members this target names: the other nodes of its Galera cluster, a
 *                 Redis master's replicas, a Sentinel's masters (and, in turn, theirs)
 */
public record Target(String id, TargetKind kind, String address, String cluster, String user, Secret password,
                     Duration interval, Duration timeout, Labels labels, boolean discover) {

    public Target(String id, TargetKind kind, String address, String cluster, String user, Secret password,
                  Duration interval, Duration timeout, Labels labels) {
        this(id, kind, address, cluster, user, password, interval, timeout, labels, false);
    }

    public Target {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        user = user == null ? "" : user;
        password = password == null ? Secret.NONE : password;
        labels = labels == null ? Labels.EMPTY : labels;
    }

    /** The labels every sample of this target carries. */
    public Labels identityLabels() {
        var own = Labels.of(LabelNames.INSTANCE, address, LabelNames.KIND, kind.id(), LabelNames.TARGET, id);
        if (cluster != null && !cluster.isEmpty()) {
            own = own.with(LabelNames.CLUSTER, cluster);
        }
        // The user's labels cannot override identity: a typo in a config file must not move a series.
        return labels.merge(own);
    }
}
