package io.vigil.collector.mysql;

import java.util.List;

/**
 * Every metric the MySQL / MariaDB scraper emits for a Galera (MariaDB Galera, Percona XtraDB
 * Cluster) node, from the {@code wsrep_*} variables of the same {@code SHOW GLOBAL STATUS}. Kept
 * apart from {@link MySqlMetrics} because only servers with a wsrep provider loaded emit them.
 * {@code docs/metrics.md} documents each one; a test holds the two lists equal.
 */
public final class GaleraMetrics {

    public static final String CLUSTER_SIZE = "galera_cluster_size";
    public static final String CLUSTER_PRIMARY = "galera_cluster_primary";
    public static final String LOCAL_STATE = "galera_local_state";
    public static final String LOCAL_STATE_SYNCED = "galera_local_state_synced";
    public static final String READY = "galera_ready";
    public static final String CONNECTED = "galera_connected";
    public static final String FLOW_CONTROL_PAUSED_RATIO = "galera_flow_control_paused_ratio";
    public static final String FLOW_CONTROL_SENT = "galera_flow_control_sent_per_second";
    public static final String LOCAL_RECV_QUEUE = "galera_local_recv_queue";
    public static final String LOCAL_SEND_QUEUE = "galera_local_send_queue";
    public static final String CERT_FAILURES = "galera_cert_failures_per_second";
    public static final String BF_ABORTS = "galera_bf_aborts_per_second";

    public static final List<String> ALL = List.of(
            CLUSTER_SIZE, CLUSTER_PRIMARY, LOCAL_STATE, LOCAL_STATE_SYNCED, READY, CONNECTED,
            FLOW_CONTROL_PAUSED_RATIO, FLOW_CONTROL_SENT, LOCAL_RECV_QUEUE, LOCAL_SEND_QUEUE, CERT_FAILURES, BF_ABORTS);

    private GaleraMetrics() {
    }
}
