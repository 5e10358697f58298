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
    REDIS_SENTINEL("redis_sentinel");

    private final String id;

    TargetKind(String id) {
        this.id = id;
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
