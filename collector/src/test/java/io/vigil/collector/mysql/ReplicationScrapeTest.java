package io.vigil.collector.mysql;

import io.vigil.collector.Reading;
import io.vigil.model.Labels;
import io.vigil.model.Secret;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import io.vigil.testbed.MariaDbReplication;
import io.vigil.testbed.ServiceInstance;
import io.vigil.testbed.WithServices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.vigil.collector.mysql.MySqlMetrics.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Replication metrics against a real MariaDB 10.11 primary + GTID replica, made to lag in the
 * ways testbed.md section 2b records. Every test leaves replication running and caught up.
 */
@WithServices(MariaDbReplication.class)
class ReplicationScrapeTest {

    private static final String PASSWORD = "Repl-m0nitor";
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private final MariaDbReplication pair;

    ReplicationScrapeTest(MariaDbReplication pair) {
        this.pair = pair;
    }

    @BeforeAll
    static void createMonitorUserAndTable(MariaDbReplication pair) {
        // Created on the primary, so they replicate; SLAVE MONITOR is what SHOW ALL SLAVES STATUS needs on 10.5+.
        pair.sqlPrimary("CREATE USER IF NOT EXISTS 'monitor'@'%' IDENTIFIED BY '" + PASSWORD + "'; "
                + "GRANT PROCESS, REPLICATION CLIENT, SLAVE MONITOR, SELECT ON *.* TO 'monitor'@'%'; "
                + "CREATE DATABASE IF NOT EXISTS app; CREATE TABLE IF NOT EXISTS app.t (id INT PRIMARY KEY, v VARCHAR(40)); "
                + "INSERT INTO app.t VALUES (1, 'start') ON DUPLICATE KEY UPDATE v = 'start'");
        pair.awaitReplicaCaughtUp();
    }

    private static Target target(ServiceInstance on) {
        return new Target("mdb-" + on.port(), TargetKind.MYSQL, on.address(), "repl-test", "monitor", Secret.of(PASSWORD),
                Duration.ofSeconds(5), Duration.ofSeconds(3), Labels.EMPTY);
    }

    /** Gauges of one channel plus the server-wide ones, by metric name. */
    private static Map<String, Double> channel(List<Reading> readings, String channel) {
        var out = new HashMap<String, Double>();
        for (Reading r : readings) {
            String c = r.labels().get(CHANNEL);
            if (!r.counter() && (c == null || c.equals(channel))) {
                out.put(r.metric(), r.value());
            }
        }
        return out;
    }

    /** Scrapes until the condition holds; fails with the last values seen. */
    private static Map<String, Double> awaitScrape(MySqlScraper scraper, String channel, String what,
                                                   Predicate<Map<String, Double>> condition) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        Map<String, Double> last;
        do {
            last = channel(scraper.scrape(), channel);
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return fail("within " + DEADLINE.toSeconds() + " s, expected " + what + "; last scrape: " + last);
    }

    private static boolean is(Map<String, Double> m, String metric, double value) {
        return m.containsKey(metric) && m.get(metric) == value;
    }

    @Test
    void aHealthyReplicaIsRunningWithoutLagAndTheReadOnlyFlagTellsTheRoles() throws Exception {
        try (var replica = new MySqlScraper(target(pair.replica())); var primary = new MySqlScraper(target(pair.primary()))) {
            var m = awaitScrape(replica, DEFAULT_CHANNEL, "lag 0 with both threads running",
                    r -> is(r, REPLICATION_LAG, 0) && is(r, REPLICATION_IO_RUNNING, 1) && is(r, REPLICATION_SQL_RUNNING, 1));
            assertThat(m).containsEntry(REPLICATION_BROKEN, 0.0)
                    .containsEntry(READ_ONLY, 1.0)
                    .containsEntry(REPLICATION_LAST_IO_ERRNO, 0.0)
                    .containsEntry(REPLICATION_LAST_SQL_ERRNO, 0.0)
                    .containsEntry(REPLICATION_SQL_DELAY, 0.0)
                    .containsEntry(REPLICATION_GTID_BEHIND, 0.0)
                    .doesNotContainKey(REPLICATION_SQL_REMAINING_DELAY);

            List<Reading> onPrimary = primary.scrape();
            assertThat(channel(onPrimary, DEFAULT_CHANNEL)).containsEntry(READ_ONLY, 0.0);
            assertThat(onPrimary).extracting(Reading::metric).noneMatch(name -> name.startsWith("mysql_replication_"));
        }
    }

    @Test
    void aStoppedSqlThreadIsBrokenWithoutALagSampleAndRecovers() throws Exception {
        try (var replica = new MySqlScraper(target(pair.replica()))) {
            pair.sqlReplica("STOP SLAVE SQL_THREAD");
            try {
                pair.sqlPrimary("UPDATE app.t SET v = 'while-stopped' WHERE id = 1");
                var m = awaitScrape(replica, DEFAULT_CHANNEL, "the write received but not applied",
                        r -> r.getOrDefault(REPLICATION_GTID_BEHIND, 0.0) >= 1);
                assertThat(m).containsEntry(REPLICATION_SQL_RUNNING, 0.0)
                        .containsEntry(REPLICATION_IO_RUNNING, 1.0)
                        .containsEntry(REPLICATION_BROKEN, 1.0)
                        // NULL Seconds_Behind_Master must never become "0 s behind"
                        .doesNotContainKey(REPLICATION_LAG);
            } finally {
                pair.sqlReplica("START SLAVE SQL_THREAD");
            }
            var recovered = awaitScrape(replica, DEFAULT_CHANNEL, "recovery after START SLAVE SQL_THREAD",
                    r -> is(r, REPLICATION_BROKEN, 0) && is(r, REPLICATION_GTID_BEHIND, 0));
            assertThat(recovered).containsEntry(REPLICATION_SQL_RUNNING, 1.0).containsKey(REPLICATION_LAG);
        }
    }

    @Test
    void aRowLockHeldOnTheReplicaMakesTheLagGrow() throws Exception {
        try (var replica = new MySqlScraper(target(pair.replica()));
             var blocker = DriverManager.getConnection(pair.jdbcUrl(pair.replica()), pair.rootUser(), "")) {
            blocker.setAutoCommit(false);
            try (var st = blocker.createStatement()) {
                // read_only does not stop SELECT ... FOR UPDATE; the SQL thread then waits for this lock.
                st.executeQuery("SELECT * FROM app.t WHERE id = 1 FOR UPDATE").close();
                pair.sqlPrimary("UPDATE app.t SET v = 'locked' WHERE id = 1");
                var m = awaitScrape(replica, DEFAULT_CHANNEL, "lag of at least 2 s",
                        r -> r.getOrDefault(REPLICATION_LAG, 0.0) >= 2);
                assertThat(m).containsEntry(REPLICATION_BROKEN, 0.0).containsEntry(REPLICATION_SQL_RUNNING, 1.0);
            } finally {
                blocker.rollback();
            }
            awaitScrape(replica, DEFAULT_CHANNEL, "lag back to 0 once the lock is gone",
                    r -> is(r, REPLICATION_LAG, 0) && is(r, REPLICATION_GTID_BEHIND, 0));
        }
    }

    @Test
    void aDelayedReplicaReportsItsDelayAndTheTimeLeft() throws Exception {
        try (var replica = new MySqlScraper(target(pair.replica()))) {
            pair.sqlReplica("STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = 30; START SLAVE");
            try {
                pair.sqlPrimary("UPDATE app.t SET v = 'delayed' WHERE id = 1");
                var m = awaitScrape(replica, DEFAULT_CHANNEL, "a remaining delay while the SQL thread waits",
                        r -> r.containsKey(REPLICATION_SQL_REMAINING_DELAY));
                assertThat(m).containsEntry(REPLICATION_SQL_DELAY, 30.0).containsEntry(REPLICATION_BROKEN, 0.0);
                assertThat(m.get(REPLICATION_SQL_REMAINING_DELAY)).isBetween(0.0, 30.0);
            } finally {
                pair.sqlReplica("STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = 0; START SLAVE");
            }
            pair.awaitReplicaCaughtUp();
            assertThat(channel(replica.scrape(), DEFAULT_CHANNEL)).containsEntry(REPLICATION_SQL_DELAY, 0.0);
        }
    }

    @Test
    void eachMultiSourceConnectionIsItsOwnChannelAndConnectingIsNotRunning() throws Exception {
        int closedPort;
        try (var s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (var replica = new MySqlScraper(target(pair.replica()))) {
            pair.sqlReplica("CHANGE MASTER 'ghost' TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + closedPort
                    + ", MASTER_USER='repl', MASTER_PASSWORD='replpw', MASTER_USE_GTID=no, MASTER_CONNECT_RETRY=1; "
                    + "START SLAVE 'ghost'");
            try {
                var ghost = awaitScrape(replica, "ghost", "a connect error on channel ghost",
                        r -> r.getOrDefault(REPLICATION_LAST_IO_ERRNO, 0.0) > 0);
                assertThat(ghost).containsEntry(REPLICATION_IO_RUNNING, 0.0)
                        .containsEntry(REPLICATION_BROKEN, 1.0)
                        .doesNotContainKey(REPLICATION_LAG);
                assertThat(channel(replica.scrape(), DEFAULT_CHANNEL)).containsEntry(REPLICATION_BROKEN, 0.0)
                        .containsEntry(REPLICATION_IO_RUNNING, 1.0);
            } finally {
                pair.sqlReplica("STOP SLAVE 'ghost'; RESET SLAVE 'ghost' ALL");
            }
            assertThat(replica.scrape()).extracting(r -> r.labels().get(CHANNEL)).doesNotContain("ghost");
        }
    }
}
