package io.vigil.collector.redis;

import java.util.List;

/**
 * Every metric name the Redis and Sentinel scrapers can emit. {@code docs/metrics.md} documents
 * each one, and a test holds the two lists equal. Counter-backed names end in {@code _per_second}.
 */
public final class RedisMetrics {

    // A Redis server (kind redis), from INFO
    public static final String MASTER = "redis_master";
    public static final String CONNECTED_CLIENTS = "redis_connected_clients";
    public static final String MEMORY_USED = "redis_memory_used_bytes";
    public static final String MEMORY_MAX = "redis_memory_max_bytes";
    public static final String MEMORY_USED_RATIO = "redis_memory_used_ratio";
    public static final String INSTANTANEOUS_OPS = "redis_instantaneous_ops_per_second";
    public static final String COMMANDS = "redis_commands_per_second";
    public static final String KEYSPACE_HIT_RATIO = "redis_keyspace_hit_ratio";
    public static final String EVICTED_KEYS = "redis_evicted_keys_per_second";
    public static final String EXPIRED_KEYS = "redis_expired_keys_per_second";
    public static final String CONNECTED_REPLICAS = "redis_connected_replicas";
    public static final String REPLICA_OFFSET_LAG = "redis_replica_offset_lag_bytes";
    public static final String MASTER_LINK_UP = "redis_master_link_up";
    public static final String RDB_LAST_BGSAVE_OK = "redis_rdb_last_bgsave_ok";
    public static final String AOF_LAST_WRITE_OK = "redis_aof_last_write_ok";
    public static final String KEYS = "redis_keys";

    // A Sentinel (kind redis_sentinel), per monitored master, from SENTINEL MASTERS
    public static final String SENTINEL_MASTER_OK = "redis_sentinel_master_ok";
    public static final String SENTINEL_MASTER_REPLICAS = "redis_sentinel_master_replicas";
    public static final String SENTINEL_MASTER_SENTINELS = "redis_sentinel_master_sentinels";
    public static final String SENTINEL_QUORUM = "redis_sentinel_quorum";
    public static final String SENTINEL_FAILOVER_IN_PROGRESS = "redis_sentinel_failover_in_progress";

    /** Tells a master's replicas apart: {@code ip:port} as the master reports it. */
    public static final String REPLICA = "replica";
    /** Tells logical databases apart: {@code db0}, {@code db1}… */
    public static final String DB = "db";
    /** Tells a sentinel's monitored masters apart: the name they are monitored under. */
    public static final String MASTER_NAME = "master";

    public static final List<String> SERVER = List.of(
            MASTER, CONNECTED_CLIENTS, MEMORY_USED, MEMORY_MAX, MEMORY_USED_RATIO, INSTANTANEOUS_OPS, COMMANDS,
            KEYSPACE_HIT_RATIO, EVICTED_KEYS, EXPIRED_KEYS, CONNECTED_REPLICAS, REPLICA_OFFSET_LAG, MASTER_LINK_UP,
            RDB_LAST_BGSAVE_OK, AOF_LAST_WRITE_OK, KEYS);

    public static final List<String> SENTINEL = List.of(
            SENTINEL_MASTER_OK, SENTINEL_MASTER_REPLICAS, SENTINEL_MASTER_SENTINELS, SENTINEL_QUORUM,
            SENTINEL_FAILOVER_IN_PROGRESS);

    public static final List<String> ALL = java.util.stream.Stream.concat(SERVER.stream(), SENTINEL.stream()).toList();

    private RedisMetrics() {
    }
}
