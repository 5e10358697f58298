package io.vigil.server.notifier;

import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Severity;
import io.vigil.notifier.dispatch.AlertEventJson;
import io.vigil.rules.AlertPublisher;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The two ends of vigil.alerts agree: what the rules role writes, the notifier reads back unchanged. */
class AlertEventWireTest {

    @Test
    void everyFieldSurvivesTheTopic() {
        var fired = new AlertEvent(42, "f1a2", "MySQLReplicationLag", AlertState.FIRING, AlertState.PENDING, Severity.SEVERE,
                Map.of("alertname", "MySQLReplicationLag", "cluster", "pay", "instance", "db2:3306"),
                Map.of("summary", "db2:3306 is 12m behind", "description", "<script>x</script>"), 731.5,
                Instant.parse("2026-12-04T03:00:00Z"), Instant.parse("2026-12-04T03:01:00.250Z"), null,
                Instant.parse("2026-12-04T03:01:00.250Z"), "mysql_replica_lag_seconds{cluster=\"pay\"}");
        var noData = new AlertEvent(43, "f1a2", "MySQLReplicationLag", AlertState.NODATA, AlertState.FIRING, Severity.NORMAL,
                Map.of(), Map.of(), null, null, null, null, Instant.parse("2026-12-04T03:05:00Z"), null);

        assertThat(AlertEventJson.decode(AlertPublisher.encode(fired))).isEqualTo(fired);
        assertThat(AlertEventJson.decode(AlertPublisher.encode(noData))).isEqualTo(noData);
    }

    @Test
    void fieldsAddedByANewerRulesRoleAreIgnoredAndGarbageIsRefusedWithAReason() {
        String newer = new String(AlertPublisher.encode(new AlertEvent(1, "f", "R", AlertState.RESOLVED, AlertState.FIRING,
                Severity.NORMAL, Map.of(), Map.of(), 0.0, null, null, null, Instant.EPOCH, null)))
                .replaceFirst("\\{", "{\"runbook\":\"https://wiki/r\",");

        assertThat(AlertEventJson.decode(newer.getBytes()).state()).isEqualTo(AlertState.RESOLVED);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AlertEventJson.decode("{\"eventId\": 1}".getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not an alert event: ");
    }
}
