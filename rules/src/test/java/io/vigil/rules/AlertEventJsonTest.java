package io.vigil.rules;

import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Severity;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AlertEventJsonTest {

    @Test
    void eventsAreJsonWithLowerCaseStatesAndIsoTimesAndReadBackTheSame() {
        var e = new AlertEvent(42, "37011fdaf2ecac41", "Lag", AlertState.FIRING, AlertState.PENDING, Severity.NORMAL,
                Map.of("alertname", "Lag", "instance", "db2:3306"), Map.of("summary", "db2 是 41s 落后"), 41.0,
                Instant.parse("2026-11-22T03:00:00Z"), Instant.parse("2026-11-22T03:01:00Z"), null,
                Instant.parse("2026-11-22T03:01:00Z"), "lag{instance=\"db2:3306\"}");
        String json = new String(AlertPublisher.encode(e), StandardCharsets.UTF_8);
        assertThat(json).contains("\"state\":\"firing\"", "\"previous\":\"pending\"", "\"severity\":\"normal\"",
                "\"firedAt\":\"2026-11-22T03:01:00Z\"", "\"resolvedAt\":null", "db2 是 41s 落后");
        assertThat(AlertPublisher.decode(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(e);
    }
}
