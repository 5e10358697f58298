package io.vigil.ingest;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vigil.testbed.Kafka;
import io.vigil.testbed.Postgres;
import io.vigil.testbed.TestBed;

import java.util.Map;
import java.util.UUID;

/** Points a {@code @QuarkusTest} at the test bed's PostgreSQL (a fresh database) and Kafka (a fresh topic). */
public class TestBedResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        var postgres = TestBed.get(Postgres.class);
        var kafka = TestBed.get(Kafka.class);
        var db = TestDb.fresh(postgres, "wiring");
        return Map.of(
                "quarkus.datasource.jdbc.url", db.dataSource.getURL(),
                "quarkus.datasource.username", postgres.user(),
                "vigil.kafka.bootstrap-servers", kafka.bootstrapServers(),
                "vigil.ingest.topic", "wiring-" + UUID.randomUUID());
    }

    @Override
    public void stop() {
        // the test bed stops its services when the JVM exits
    }
}
