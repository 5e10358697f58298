package io.vigil.server.faults;

import io.vigil.model.AlertState;
import io.vigil.model.Labels;
import io.vigil.model.Secret;
import io.vigil.model.Severity;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import io.vigil.rules.AlertSnapshot;
import io.vigil.testbed.MariaDbReplication;
import io.vigil.testbed.ServiceInstance;
import io.vigil.testbed.WithServices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;

import static io.vigil.server.faults.AlertHarness.change;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default replication rules against a real primary + replica, broken the ways testbed.md
 * section 2b records; the pack's thresholds are kept, only the {@code for} and recovery holds are
 * shortened through a rule file, as an operator would tune them.
 */
@WithServices(MariaDbReplication.class)
class ReplicationFaultsTest {

    private static final String PASSWORD = "Fault-m0nitor";
    private static final String FAST = """
            rules:
              - name: MySQLReplicationLag
                expr: mysql_replication_lag_seconds > 3
                for: 2s
                recover: "< 1"
                recover_for: 3s
                severity: normal
                annotations: {summary: "{{ $labels.instance }} lags {{ $value }}s"}
            """;

    private final MariaDbReplication pair;

    ReplicationFaultsTest(MariaDbReplication pair) {
        this.pair = pair;
    }

    @BeforeAll
    static void monitorUser(MariaDbReplication pair) {
        pair.sqlPrimary("CREATE USER IF NOT EXISTS 'monitor'@'%' IDENTIFIED BY '" + PASSWORD + "'; "
                + "GRANT PROCESS, REPLICATION CLIENT, SLAVE MONITOR, SELECT ON *.* TO 'monitor'@'%'; "
                + "CREATE DATABASE IF NOT EXISTS app; CREATE TABLE IF NOT EXISTS app.faults (id INT PRIMARY KEY, v INT); "
                + "INSERT INTO app.faults VALUES (1, 0) ON DUPLICATE KEY UPDATE v = 0");
        pair.awaitReplicaCaughtUp();
    }

    private static Target target(String id, ServiceInstance on) {
        return new Target(id, TargetKind.MYSQL, on.address(), "repl-faults", "monitor", Secret.of(PASSWORD),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Labels.EMPTY);
    }

    @Test
    void aStoppedSqlThreadIsSevereReplicationBrokenAndNeverALagOfZero() throws Exception {
        try (var h = new AlertHarness(AlertHarness.defaultsWith(FAST))) {
            h.scrape(List.of(target("replica", pair.replica()), target("primary", pair.primary())));
            h.run(Duration.ofSeconds(3));
            pair.sqlReplica("STOP SLAVE SQL_THREAD");
            try {
                pair.sqlPrimary("UPDATE app.faults SET v = v + 1 WHERE id = 1");
                AlertSnapshot broken = h.await("replication broken", Duration.ofSeconds(30),
                        e -> e.labels().get("alertname").contains("ReplicationBroken") && e.state() == AlertState.FIRING);
                assertThat(broken.severity()).isEqualTo(Severity.SEVERE);
                assertThat(broken.labels().get("target")).isEqualTo("replica");
                // The lag series is gone (NULL), so no lag alert speaks of "0 s"
                assertThat(h.events()).noneMatch(e -> e.rule().equals("MySQLReplicationLag"));
            } finally {
                pair.sqlReplica("START SLAVE SQL_THREAD");
            }
            h.await("replication broken resolved", Duration.ofSeconds(60),
                    e -> e.labels().get("alertname").contains("ReplicationBroken") && e.state() == AlertState.RESOLVED);
        } finally {
            pair.awaitReplicaCaughtUp();
        }
    }

    @Test
    void aRowLockOnTheReplicaFiresTheLagAlertWhichResolvesOnlyOnceLagStaysBelowTheRecoveryThreshold() throws Exception {
        try (var h = new AlertHarness(AlertHarness.defaultsWith(FAST));
             var lock = DriverManager.getConnection(pair.jdbcUrl(pair.replica()), pair.rootUser(), "")) {
            h.scrape(List.of(target("replica", pair.replica())));
            h.run(Duration.ofSeconds(2));
            lock.setAutoCommit(false);
            lock.createStatement().executeQuery("SELECT * FROM app.faults WHERE id = 1 FOR UPDATE").close();
            var writer = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 40 && !Thread.currentThread().isInterrupted(); i++) {
                    pair.sqlPrimary("UPDATE app.faults SET v = v + 1 WHERE id = 1");
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            AlertSnapshot firing = h.await("the lag alert", Duration.ofSeconds(30), change("MySQLReplicationLag", AlertState.FIRING));
            assertThat(firing.value()).isGreaterThan(3.0);
            assertThat(firing.annotations().get("summary")).startsWith(pair.replica().address() + " lags ");
            lock.rollback(); // the SQL thread applies the backlog and lag drops
            writer.interrupt();
            writer.join();
            AlertSnapshot resolved = h.await("the lag alert resolved", Duration.ofSeconds(60),
                    change("MySQLReplicationLag", AlertState.RESOLVED));
            assertThat(resolved.value()).isLessThan(1.0);
            // Resolved only after the 3 s hold below 1 s, never on the way down through the band
            assertThat(resolved.resolvedAtMillis() - resolved.recoveringSinceMillis()).isGreaterThanOrEqualTo(3000);
            assertThat(h.events()).filteredOn(e -> e.rule().equals("MySQLReplicationLag"))
                    .extracting(e -> e.state().wireName()).containsExactly("pending", "firing", "resolved");
        } finally {
            pair.awaitReplicaCaughtUp();
        }
    }
}
