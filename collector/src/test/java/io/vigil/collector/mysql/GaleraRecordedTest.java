package io.vigil.collector.mysql;

import io.vigil.collector.CounterRates;
import io.vigil.collector.Reading;
import io.vigil.model.Sample;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.vigil.collector.mysql.GaleraMetrics.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Galera metrics from real {@code SHOW GLOBAL STATUS LIKE 'wsrep%'} outputs of the test bed's
 * three-node MariaDB 10.11 / Galera 4.23 cluster (testbed.md 2c): healthy, and after kill -9 of one node.
 */
class GaleraRecordedTest {

    private static Map<String, String> recorded(String file) {
        String path = "/recorded/galera-4/" + file;
        try (InputStream in = GaleraRecordedTest.class.getResourceAsStream(path)) {
            var map = new HashMap<String, String>();
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).forEach(line -> {
                int tab = line.indexOf('\t');
                map.put(line.substring(0, tab), line.substring(tab + 1));
            });
            return map;
        } catch (IOException e) {
            throw new IllegalStateException(path, e);
        }
    }

    private static Map<String, Double> gauges(List<Reading> readings) {
        return readings.stream().filter(r -> !r.counter()).collect(Collectors.toMap(Reading::metric, Reading::value));
    }

    @Test
    void aHealthyNodeOfThreeIsPrimarySyncedReadyAndConnected() {
        var m = gauges(GaleraStatusMetrics.read(recorded("wsrep-status-3nodes.tsv")));
        assertThat(m).containsEntry(CLUSTER_SIZE, 3.0)
                .containsEntry(CLUSTER_PRIMARY, 1.0)
                .containsEntry(LOCAL_STATE, 4.0)
                .containsEntry(LOCAL_STATE_SYNCED, 1.0)
                .containsEntry(READY, 1.0)
                .containsEntry(CONNECTED, 1.0)
                .containsEntry(LOCAL_RECV_QUEUE, 0.0)
                .containsEntry(LOCAL_SEND_QUEUE, 0.0);
    }

    @Test
    void aSurvivorOfAKilledNodeSeesTwoAndStaysPrimary() {
        var m = gauges(GaleraStatusMetrics.read(recorded("wsrep-status-after-kill.tsv")));
        assertThat(m).containsEntry(CLUSTER_SIZE, 2.0)
                .containsEntry(CLUSTER_PRIMARY, 1.0)
                .containsEntry(LOCAL_STATE_SYNCED, 1.0);
    }

    @Test
    void countersBecomeRatesAndPausedNanosecondsBecomeTheFractionOfTheInterval() {
        var first = recorded("wsrep-status-3nodes.tsv");
        var second = new HashMap<>(first);
        // 10 s later: paused 2.5 s of them, 3 flow control messages sent, 4 cert failures, 1 BF abort.
        second.put("wsrep_flow_control_paused_ns", "2500000000");
        second.put("wsrep_flow_control_sent", "3");
        second.put("wsrep_local_cert_failures", "4");
        second.put("wsrep_local_bf_aborts", "1");
        var rates = new CounterRates();
        rates.apply(GaleraStatusMetrics.read(first), 10_000);
        Map<String, Double> m = rates.apply(GaleraStatusMetrics.read(second), 20_000).stream()
                .collect(Collectors.toMap(Sample::metric, Sample::value));
        assertThat(m.get(FLOW_CONTROL_PAUSED_RATIO)).isCloseTo(0.25, within(1e-12));
        assertThat(m.get(FLOW_CONTROL_SENT)).isCloseTo(0.3, within(1e-12));
        assertThat(m.get(CERT_FAILURES)).isCloseTo(0.4, within(1e-12));
        assertThat(m.get(BF_ABORTS)).isCloseTo(0.1, within(1e-12));
        assertThat(m.keySet()).containsExactlyInAnyOrderElementsOf(GaleraMetrics.ALL);
    }

    @Test
    void anOlderProviderWithoutPausedNanosecondsGivesItsPausedFractionAsIs() {
        var status = recorded("wsrep-status-3nodes.tsv");
        status.remove("wsrep_flow_control_paused_ns");
        status.put("wsrep_flow_control_paused", "0.18");
        assertThat(gauges(GaleraStatusMetrics.read(status))).containsEntry(FLOW_CONTROL_PAUSED_RATIO, 0.18);
    }

    @Test
    void aNonPrimaryDonorNodeIsNeitherPrimaryNorSynced() {
        var status = recorded("wsrep-status-after-kill.tsv");
        status.put("wsrep_cluster_status", "non-Primary");
        status.put("wsrep_local_state", "2");
        status.put("wsrep_local_state_comment", "Donor/Desynced");
        status.put("wsrep_ready", "OFF");
        assertThat(gauges(GaleraStatusMetrics.read(status))).containsEntry(CLUSTER_PRIMARY, 0.0)
                .containsEntry(LOCAL_STATE, 2.0)
                .containsEntry(LOCAL_STATE_SYNCED, 0.0)
                .containsEntry(READY, 0.0);
    }

    /** What a standalone MariaDB 10.11 prints (captured): wsrep variables, but no provider. */
    @Test
    void aStandaloneMariaDbWithoutProviderYieldsNoGaleraMetrics() {
        var status = Map.of("wsrep", "0", "wsrep_cluster_size", "0", "wsrep_cluster_status", "Disconnected",
                "wsrep_connected", "OFF", "wsrep_local_bf_aborts", "0", "wsrep_provider_name", "", "wsrep_ready", "OFF");
        assertThat(GaleraStatusMetrics.read(status)).isEmpty();
    }
}
