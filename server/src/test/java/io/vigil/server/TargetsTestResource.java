package io.vigil.server;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vigil.model.SecretCipher;
import io.vigil.testbed.Kafka;
import io.vigil.testbed.MariaDb;
import io.vigil.testbed.Postgres;
import io.vigil.testbed.TestBed;

import java.util.Map;

/**
 * Vigil with no targets file, so every target comes through the API: its own database
 * ({@code vigil_targets}, apart from the end-to-end test's), the shared Kafka and MariaDB, and
 * a fresh secrets key.
 */
public class TargetsTestResource implements QuarkusTestResourceLifecycleManager {

    static final String DATABASE = "vigil_targets";

    @Override
    public Map<String, String> start() {
        Postgres postgres = TestBed.get(Postgres.class);
        Kafka kafka = TestBed.get(Kafka.class);
        FleetTestResource.createMonitorUser(TestBed.get(MariaDb.class));
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.createDatabase(DATABASE),
                "quarkus.datasource.username", postgres.user(),
                "vigil.kafka.bootstrap-servers", kafka.bootstrapServers(),
                "vigil.kafka.samples-partitions", "3",
                SecretCipher.KEY_CONFIG, SecretCipher.newBase64Key());
    }

    @Override
    public void stop() {
        // The test bed stops its services at JVM exit.
    }
}
