package io.vigil.collector.mysql;

import java.util.List;

/**
 * Every metric name the MySQL / MariaDB scraper can emit. {@code docs/metrics.md} documents each
 * one, and a test holds the two lists equal, so a new metric cannot ship undocumented.
 * Counter-backed names end in {@code _per_second} (or are the historical {@code mysql_qps} and
 * {@code mysql_tps}): the collector turns them into rates.
 */
public final class MySqlMetrics {

    // Server-wide, from SHOW GLOBAL STATUS / VARIABLES (and INNODB_METRICS on MySQL)
    public static final String QPS = "mysql_qps";
    public static final String TPS = "mysql_tps";
    public static final String THREADS_CONNECTED = "mysql_threads_connected";
    public static final String THREADS_RUNNING = "mysql_threads_running";
    public static final String UPTIME = "mysql_uptime_seconds";
    public static final String CONNECTIONS = "mysql_connections_per_second";
    public static final String ABORTED_CONNECTS = "mysql_aborted_connects_per_second";
    public static final String CONNECTIONS_REFUSED = "mysql_connections_refused_per_second";
    public static final String MAX_CONNECTIONS = "mysql_max_connections";
    public static final String SLOW_QUERIES = "mysql_slow_queries_per_second";
    public static final String BUFFER_POOL_HIT_RATIO = "mysql_innodb_buffer_pool_hit_ratio";
    public static final String BUFFER_POOL_DIRTY_PAGES = "mysql_innodb_buffer_pool_dirty_pages";
    public static final String BUFFER_POOL_DIRTY_RATIO = "mysql_innodb_buffer_pool_dirty_ratio";
    public static final String ROW_LOCK_WAITS = "mysql_innodb_row_lock_waits_per_second";
    public static final String ROW_LOCK_TIME = "mysql_innodb_row_lock_time_ms_per_second";
    public static final String DEADLOCKS = "mysql_innodb_deadlocks_per_second";
    public static final String HISTORY_LIST_LENGTH = "mysql_innodb_history_list_length";
    public static final String BYTES_RECEIVED = "mysql_bytes_received_per_second";
    public static final String BYTES_SENT = "mysql_bytes_sent_per_second";
    public static final String READ_ONLY = "mysql_read_only";

    // Per replication channel (label "channel"), from SHOW ALL SLAVES STATUS / SHOW REPLICA STATUS
    public static final String REPLICATION_LAG = "mysql_replication_lag_seconds";
    public static final String REPLICATION_BROKEN = "mysql_replication_broken";
    public static final String REPLICATION_IO_RUNNING = "mysql_replication_io_running";
    public static final String REPLICATION_SQL_RUNNING = "mysql_replication_sql_running";
    public static final String REPLICATION_LAST_IO_ERRNO = "mysql_replication_last_io_errno";
    public static final String REPLICATION_LAST_SQL_ERRNO = "mysql_replication_last_sql_errno";
    public static final String REPLICATION_SQL_DELAY = "mysql_replication_sql_delay_seconds";
    public static final String REPLICATION_SQL_REMAINING_DELAY = "mysql_replication_sql_remaining_delay_seconds";
    public static final String REPLICATION_GTID_BEHIND = "mysql_replication_gtid_behind";

    /** The label that tells replication channels apart; the unnamed channel is {@value #DEFAULT_CHANNEL}. */
    public static final String CHANNEL = "channel";
    public static final String DEFAULT_CHANNEL = "default";

    public static final List<String> ALL = List.of(
            QPS, TPS, THREADS_CONNECTED, THREADS_RUNNING, UPTIME, CONNECTIONS, ABORTED_CONNECTS,
            CONNECTIONS_REFUSED, MAX_CONNECTIONS, SLOW_QUERIES, BUFFER_POOL_HIT_RATIO, BUFFER_POOL_DIRTY_PAGES,
            BUFFER_POOL_DIRTY_RATIO, ROW_LOCK_WAITS, ROW_LOCK_TIME, DEADLOCKS, HISTORY_LIST_LENGTH,
            BYTES_RECEIVED, BYTES_SENT, READ_ONLY,
            REPLICATION_LAG, REPLICATION_BROKEN, REPLICATION_IO_RUNNING, REPLICATION_SQL_RUNNING,
            REPLICATION_LAST_IO_ERRNO, REPLICATION_LAST_SQL_ERRNO, REPLICATION_SQL_DELAY,
            REPLICATION_SQL_REMAINING_DELAY, REPLICATION_GTID_BEHIND);

    private MySqlMetrics() {
    }
}
