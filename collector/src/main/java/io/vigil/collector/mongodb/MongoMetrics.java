package io.vigil.collector.mongodb;

import java.util.List;

/**
 * Every metric name the MongoDB scraper can emit. {@code docs/metrics.md} documents each one, and a
 * test holds the two lists equal. Counter-backed names end in {@code _per_second}.
 */
public final class MongoMetrics {

    // serverStatus
    public static final String CONNECTIONS_CURRENT = "mongodb_connections_current";
    public static final String CONNECTIONS_AVAILABLE = "mongodb_connections_available";
    public static final String OPS = "mongodb_ops_per_second";
    public static final String CACHE_USED = "mongodb_wiredtiger_cache_used_bytes";
    public static final String CACHE_DIRTY = "mongodb_wiredtiger_cache_dirty_bytes";
    public static final String CACHE_MAX = "mongodb_wiredtiger_cache_max_bytes";
    public static final String CACHE_USED_RATIO = "mongodb_wiredtiger_cache_used_ratio";
    public static final String LOCK_QUEUE = "mongodb_global_lock_queue";
    public static final String PRIMARY = "mongodb_primary";

    // replSetGetStatus, one series per member as this node sees it
    public static final String MEMBER_STATE = "mongodb_replset_member_state";
    public static final String MEMBER_HEALTHY = "mongodb_replset_member_healthy";
    public static final String MEMBER_LAG = "mongodb_replset_member_lag_seconds";
    // local.oplog.rs
    public static final String OPLOG_WINDOW = "mongodb_oplog_window_seconds";

    /** insert, query, update, delete, getmore, command. */
    public static final String OP = "op";
    /** readers or writers. */
    public static final String QUEUE = "queue";
    /** A replica-set member, {@code host:port} as the set names it. */
    public static final String MEMBER = "member";

    public static final List<String> ALL = List.of(CONNECTIONS_CURRENT, CONNECTIONS_AVAILABLE, OPS, CACHE_USED, CACHE_DIRTY,
            CACHE_MAX, CACHE_USED_RATIO, LOCK_QUEUE, PRIMARY, MEMBER_STATE, MEMBER_HEALTHY, MEMBER_LAG, OPLOG_WINDOW);

    private MongoMetrics() {
    }
}
