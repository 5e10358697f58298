package io.vigil.collector.mysql;

import io.vigil.collector.Reading;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static io.vigil.collector.mysql.GaleraMetrics.*;
import static io.vigil.collector.mysql.ServerValues.flag;
import static io.vigil.collector.mysql.ServerValues.number;

/**
 * Maps the {@code wsrep_*} status variables of a Galera node to readings. Stateless: the one
 * interval-based value (flow control) is published as a counter and becomes a rate downstream.
 */
final class GaleraStatusMetrics {

    /** wsrep_local_state of a node that is a full member and applies writes as they come. */
    private static final double SYNCED = 4;
    private static final double NANOS_PER_SECOND = 1e9;

    private GaleraStatusMetrics() {
    }

    /**
     * Whether a wsrep provider is loaded. MariaDB prints a dozen wsrep_* variables (cluster size 0,
     * status Disconnected) even on a standalone server; only a loaded provider names itself.
     */
    static boolean isGaleraNode(Map<String, String> status) {
        String provider = status.get("wsrep_provider_name");
        return provider != null && !provider.isBlank();
    }

    /** Nothing for a server without a wsrep provider: a standalone server is not a broken cluster member. */
    static List<Reading> read(Map<String, String> status) {
        if (!isGaleraNode(status)) {
            return List.of();
        }
        var out = new ArrayList<Reading>();
        number(status, "wsrep_cluster_size").ifPresent(v -> out.add(Reading.gauge(CLUSTER_SIZE, v)));
        String clusterStatus = status.get("wsrep_cluster_status");
        if (clusterStatus != null) {
            // Non-Primary and Disconnected both mean this node's component may not take writes.
            out.add(Reading.gauge(CLUSTER_PRIMARY, clusterStatus.strip().equalsIgnoreCase("Primary") ? 1 : 0));
        }
        number(status, "wsrep_local_state").ifPresent(state -> {
            out.add(Reading.gauge(LOCAL_STATE, state));
            out.add(Reading.gauge(LOCAL_STATE_SYNCED, state == SYNCED ? 1 : 0));
        });
        flag(status.get("wsrep_ready")).ifPresent(v -> out.add(Reading.gauge(READY, v)));
        flag(status.get("wsrep_connected")).ifPresent(v -> out.add(Reading.gauge(CONNECTED, v)));
        flowControlPaused(status).ifPresent(out::add);
        number(status, "wsrep_flow_control_sent").ifPresent(v -> out.add(Reading.counter(FLOW_CONTROL_SENT, v)));
        number(status, "wsrep_local_recv_queue").ifPresent(v -> out.add(Reading.gauge(LOCAL_RECV_QUEUE, v)));
        number(status, "wsrep_local_send_queue").ifPresent(v -> out.add(Reading.gauge(LOCAL_SEND_QUEUE, v)));
        number(status, "wsrep_local_cert_failures").ifPresent(v -> out.add(Reading.counter(CERT_FAILURES, v)));
        number(status, "wsrep_local_bf_aborts").ifPresent(v -> out.add(Reading.counter(BF_ABORTS, v)));
        return out;
    }

    /**
     * The fraction of the last interval that replication was paused. Galera 4 (and 3.x since
     * 25.3.x) keep the total paused time in nanoseconds: as a counter of seconds its per-second
     * rate is exactly that fraction over the scrape interval. Older providers only have
     * wsrep_flow_control_paused, the fraction since the last FLUSH STATUS, used as is.
     */
    private static Optional<Reading> flowControlPaused(Map<String, String> status) {
        OptionalDouble pausedNs = number(status, "wsrep_flow_control_paused_ns");
        if (pausedNs.isPresent()) {
            return Optional.of(Reading.counter(FLOW_CONTROL_PAUSED_RATIO, pausedNs.getAsDouble() / NANOS_PER_SECOND));
        }
        OptionalDouble paused = number(status, "wsrep_flow_control_paused");
        return paused.isPresent()
                ? Optional.of(Reading.gauge(FLOW_CONTROL_PAUSED_RATIO, paused.getAsDouble()))
                : Optional.empty();
    }
}
