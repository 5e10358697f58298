package io.vigil.server;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vigil.model.SecretCipher;
import io.vigil.testbed.Kafka;
import io.vigil.testbed.Postgres;
import io.vigil.testbed.TestBed;

import java.util.Map;

/** Vigil with its own database ({@code vigil_alerts_api}), the ingest and rules roles only, and a short rules tick. */
public class AlertsTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Postgres postgres = TestBed.get(Postgres.class);
        Kafka kafka = TestBed.get(Kafka.class);
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.createDatabase("vigil_alerts_api"),
                "quarkus.datasource.username", postgres.user(),
                "vigil.kafka.bootstrap-servers", kafka.bootstrapServers(),
                "vigil.kafka.samples-partitions", "3",
                "vigil.roles", "ingest,rules",
                "vigil.rules.tick", "200ms",
                "vigil.rules.reload-interval", "200ms",
                SecretCipher.KEY_CONFIG, SecretCipher.newBase64Key());
    }

    @Override
    public void stop() {
        // The test bed stops its services at JVM exit.
    }
}
