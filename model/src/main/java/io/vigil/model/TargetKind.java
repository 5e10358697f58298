package io.vigil.model;

import java.util.Arrays;
import java.util.Locale;

/** What a target is, which decides the scraper that reads it. */
public enum TargetKind {
    /** MySQL or MariaDB, including Galera / Percona XtraDB Cluster nodes (wsrep metrics when present). */
    MYSQL("mysql"),
    /** A Redis server, master or replica. */
    REDIS("redis"),
    /** A Redis Sentinel: its view of the masters it monitors. */
    REDIS_SENTINEL("redis_sentinel"),
    /** A mongod, standalone or a replica-set member (its view of the set, through replSetGetStatus). */
    MONGODB("mongodb"),
    /**
     * The containers of the host the collector runs on, found in its cgroup tree (Docker,
     * containerd, CRI-O, Kubernetes pods; cgroup v1 and v2). The address is the cgroup mount root.
     */
    CONTAINERS("containers");

    private final String id;

    TargetKind(String id) {
        this.id = id;
    }

    /** Whether the target is reached over the network ({@code host:port}) rather than read from a local path. */
    public boolean networked() {
        return this != CONTAINERS;
    }

    /** The name used in configuration files and in the {@code kind} label. */
    public String id() {
        return id;
    }

    public static TargetKind fromId(String id) {
        String wanted = id == null ? "" : id.toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(k -> k.id.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown target kind '" + id + "'; known kinds: " + Arrays.toString(Arrays.stream(values()).map(TargetKind::id).toArray())));
    }
}
