package io.vigil.server;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vigil.testbed.Kafka;
import io.vigil.testbed.MariaDb;
import io.vigil.testbed.Postgres;
import io.vigil.testbed.TestBed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A small real fleet for the server's end-to-end tests: PostgreSQL, Kafka and one MariaDB from
 * the test bed, a monitoring user on MariaDB, and a targets file that scrapes it every second.
 */
public class FleetTestResource implements QuarkusTestResourceLifecycleManager {

    static final String CLUSTER = "e2e";
    static final String MONITOR_PASSWORD = "e2e-Secret-pw";

    @Override
    public Map<String, String> start() {
        Postgres postgres = TestBed.get(Postgres.class);
        Kafka kafka = TestBed.get(Kafka.class);
        MariaDb mariaDb = TestBed.get(MariaDb.class);

        String jdbcUrl = postgres.createDatabase("vigil_e2e");
        createMonitorUser(mariaDb);
        try {
            Path dir = Files.createTempDirectory("vigil-e2e");
            Path targets = dir.resolve("targets.yaml");
            Files.writeString(targets, """
                    targets:
                      - id: e2e-db-1
                        kind: mysql
                        address: %s
                        cluster: %s
                        user: vigil
                        password: %s
                        interval: 1s
                        timeout: 1s
                        labels: {service: checkout}
                    """.formatted(instance(), CLUSTER, MONITOR_PASSWORD));
            return Map.of(
                    "quarkus.datasource.jdbc.url", jdbcUrl,
                    "quarkus.datasource.username", postgres.user(),
                    "vigil.kafka.bootstrap-servers", kafka.bootstrapServers(),
                    "vigil.collector.targets-file", targets.toString(),
                    "vigil.kafka.samples-partitions", "3");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The monitoring user {@code vigil} (password {@link #MONITOR_PASSWORD}) and a table for workloads; idempotent. */
    static void createMonitorUser(MariaDb mariaDb) {
        mariaDb.sql("CREATE USER IF NOT EXISTS 'vigil'@'%' IDENTIFIED BY '" + MONITOR_PASSWORD + "'; "
                + "GRANT PROCESS, REPLICATION CLIENT, SELECT ON *.* TO 'vigil'@'%'; "
                + "CREATE DATABASE IF NOT EXISTS e2e; "
                + "CREATE TABLE IF NOT EXISTS e2e.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(40))");
    }

    /** The {@code instance} label of the test's MariaDB. */
    static String instance() {
        return "127.0.0.1:" + TestBed.get(MariaDb.class).port();
    }

    @Override
    public void stop() {
        // The test bed stops its services at JVM exit; other test classes may still use them.
    }
}
