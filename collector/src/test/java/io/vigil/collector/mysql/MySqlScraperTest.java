package io.vigil.collector.mysql;

import io.vigil.collector.CounterRates;
import io.vigil.collector.Reading;
import io.vigil.collector.ScrapeException;
import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.Secret;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import io.vigil.testbed.MariaDb;
import io.vigil.testbed.WithServices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Against a real MariaDB 10.11 from the test bed. */
@WithServices(MariaDb.class)
class MySqlScraperTest {

    private static final String PASSWORD = "Mon1tor-pw";
    private final MariaDb mariaDb;

    MySqlScraperTest(MariaDb mariaDb) {
        this.mariaDb = mariaDb;
    }

    @BeforeAll
    static void createMonitoringUser(MariaDb mariaDb) {
        mariaDb.sql("CREATE USER IF NOT EXISTS 'monitor'@'%' IDENTIFIED BY '" + PASSWORD + "'; "
                + "GRANT PROCESS, REPLICATION CLIENT, SELECT ON *.* TO 'monitor'@'%'");
    }

    private Target target(String password) {
        return new Target("mdb-test", TargetKind.MYSQL, "127.0.0.1:" + mariaDb.port(), "c1", "monitor", Secret.of(password),
                Duration.ofSeconds(5), Duration.ofSeconds(3), Labels.EMPTY);
    }

    private static Map<String, Double> byName(List<Sample> samples) {
        return samples.stream().collect(Collectors.toMap(Sample::metric, Sample::value));
    }

    @Test
    void qpsAndTpsFollowTheWorkload() throws Exception {
        try (var scraper = new MySqlScraper(target(PASSWORD))) {
            var rates = new CounterRates();
            List<Reading> first = scraper.scrape();
            assertThat(first).extracting(Reading::metric)
                    .contains("mysql_qps", "mysql_tps", "mysql_threads_connected", "mysql_threads_running", "mysql_uptime_seconds");
            long t0 = System.currentTimeMillis();
            rates.apply(first, t0);

            mariaDb.sql("CREATE DATABASE IF NOT EXISTS scrape_test; CREATE TABLE IF NOT EXISTS scrape_test.t (id INT PRIMARY KEY); "
                    + "BEGIN; INSERT INTO scrape_test.t VALUES (1) ON DUPLICATE KEY UPDATE id = id; COMMIT; "
                    + "SELECT 1; SELECT 2; SELECT 3;");
            Thread.sleep(1100);

            Map<String, Double> second = byName(rates.apply(scraper.scrape(), System.currentTimeMillis()));
            assertThat(second.get("mysql_qps")).isPositive();
            assertThat(second.get("mysql_tps")).isPositive();
            // threads_connected counts at least this scraper's own connection
            assertThat(second.get("mysql_threads_connected")).isGreaterThanOrEqualTo(1);
            assertThat(second.get("mysql_threads_running")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void everyServerMetricOfMariaDbIsThereFromTheSecondScrapeOn() throws Exception {
        try (var scraper = new MySqlScraper(target(PASSWORD))) {
            var rates = new CounterRates();
            long t0 = System.currentTimeMillis();
            mariaDb.sql("CREATE DATABASE IF NOT EXISTS scrape_test; CREATE TABLE IF NOT EXISTS scrape_test.hits "
                    + "(id INT PRIMARY KEY) ENGINE=InnoDB; INSERT IGNORE INTO scrape_test.hits VALUES (1), (2), (3)");
            rates.apply(scraper.scrape(), t0);
            // InnoDB pages read through the buffer pool, so that the hit ratio has a denominator
            // (mysql.* system tables are Aria in MariaDB and would not count).
            mariaDb.sql("SELECT COUNT(*) FROM scrape_test.hits");
            // The monitor user lacks SLAVE MONITOR: replication is skipped, everything else still comes,
            // and this second scrape goes as one multi-statement.
            Map<String, Double> m = byName(rates.apply(scraper.scrape(), System.currentTimeMillis()));

            var replication = MySqlMetrics.ALL.stream().filter(n -> n.startsWith("mysql_replication_")).toList();
            var server = MySqlMetrics.ALL.stream().filter(n -> !replication.contains(n)).toList();
            assertThat(m.keySet()).containsAll(server).doesNotContainAnyElementsOf(replication);
            assertThat(m.get("mysql_innodb_buffer_pool_hit_ratio")).isBetween(0.0, 1.0);
            assertThat(m.get("mysql_innodb_buffer_pool_dirty_ratio")).isBetween(0.0, 1.0);
            assertThat(m.get("mysql_bytes_received_per_second")).isPositive();
            assertThat(m.get("mysql_bytes_sent_per_second")).isPositive();
            assertThat(m.get("mysql_connections_per_second")).isPositive(); // the mariadb client logged in
            assertThat(m.get("mysql_max_connections")).isEqualTo(151); // the server's default
            assertThat(m.get("mysql_read_only")).isZero();
            assertThat(m.get("mysql_innodb_history_list_length")).isNotNegative();
        }
    }

    @Test
    void aRealDeadlockShowsInTheDeadlockRate() throws Exception {
        mariaDb.sql("CREATE DATABASE IF NOT EXISTS scrape_test; CREATE TABLE IF NOT EXISTS scrape_test.dl (id INT PRIMARY KEY, v INT); "
                + "INSERT IGNORE INTO scrape_test.dl VALUES (1, 0), (2, 0)");
        try (var scraper = new MySqlScraper(target(PASSWORD));
             var a = java.sql.DriverManager.getConnection(mariaDb.jdbcUrl(), mariaDb.rootUser(), "");
             var b = java.sql.DriverManager.getConnection(mariaDb.jdbcUrl(), mariaDb.rootUser(), "")) {
            var rates = new CounterRates();
            rates.apply(scraper.scrape(), System.currentTimeMillis());
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            a.createStatement().executeUpdate("UPDATE scrape_test.dl SET v = v + 1 WHERE id = 1");
            b.createStatement().executeUpdate("UPDATE scrape_test.dl SET v = v + 1 WHERE id = 2");
            // a now waits for b's row; b asking for a's row closes the cycle and InnoDB kills one of them.
            // Its own thread, not the common pool: on two cores that pool has one thread, and a task
            // queued behind another never starts waiting for the lock.
            var aWaits = new java.util.concurrent.FutureTask<Void>(() -> {
                try {
                    a.createStatement().executeUpdate("UPDATE scrape_test.dl SET v = v + 1 WHERE id = 2");
                } catch (java.sql.SQLException e) {
                    if (e.getErrorCode() != 1213) { // either side may be chosen as the deadlock victim
                        throw e;
                    }
                }
                return null;
            });
            Thread.ofPlatform().name("deadlock-side-a").start(aWaits);
            awaitLockWait(aWaits);
            try {
                b.createStatement().executeUpdate("UPDATE scrape_test.dl SET v = v + 1 WHERE id = 1");
            } catch (java.sql.SQLException victim) {
                assertThat(victim.getErrorCode()).isEqualTo(1213); // ER_LOCK_DEADLOCK
            }
            aWaits.get(10, java.util.concurrent.TimeUnit.SECONDS);
            a.rollback();
            b.rollback();
            Map<String, Double> m = byName(rates.apply(scraper.scrape(), System.currentTimeMillis()));
            assertThat(m.get("mysql_innodb_deadlocks_per_second")).isPositive();
            assertThat(m.get("mysql_innodb_row_lock_waits_per_second")).isPositive();
        }
    }

    /** Polls until some transaction waits for a row lock: a fixed sleep would be either slow or flaky. */
    private void awaitLockWait(java.util.concurrent.Future<?> waiter) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (waiter.isDone()) {
                waiter.get(); // its failure, if any, is the reason there is no wait
                throw new AssertionError("the waiting update finished without waiting for the lock");
            }
            if (!mariaDb.sql("SELECT 1 FROM information_schema.innodb_lock_waits LIMIT 1").isBlank()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no transaction started waiting for a row lock within 10 s");
    }

    @Test
    void wrongPasswordIsAClearErrorThatNeverShowsThePassword() {
        String wrong = "Wr0ng-hunter2";
        try (var scraper = new MySqlScraper(target(wrong))) {
            assertThatThrownBy(scraper::scrape)
                    .isInstanceOf(ScrapeException.class)
                    .hasMessageContaining("target mdb-test (127.0.0.1:" + mariaDb.port() + ")")
                    .hasMessageContaining("Access denied for user 'monitor'")
                    .satisfies(e -> assertThat(stackText(e)).doesNotContain(wrong));
        }
    }

    @Test
    void aBrokenConnectionIsReplacedOnTheNextScrape() throws Exception {
        try (var scraper = new MySqlScraper(target(PASSWORD))) {
            scraper.scrape();
            mariaDb.sql("SELECT GROUP_CONCAT(CONCAT('KILL ', id) SEPARATOR ';') INTO @k FROM information_schema.processlist "
                    + "WHERE user = 'monitor'; EXECUTE IMMEDIATE @k");
            // the first scrape after the kill may fail; the one after it reconnects
            try {
                scraper.scrape();
            } catch (ScrapeException expected) {
                assertThat(expected.getMessage()).contains("mdb-test");
            }
            assertThat(scraper.scrape()).isNotEmpty();
        }
    }

    private static String stackText(Throwable e) {
        var sw = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(sw));
        return sw.toString();
    }

    @Test
    void aServerWithoutTheGroupReplicationTablesLosesOnlyThoseStatements() throws Exception {
        // A MySQL 8.0 plan sent to MariaDB, which has no performance_schema.replication_group_* tables (error 1146)
        // and no STATUS column in INNODB_METRICS (1054): the first read drops those statements, and the following
        // reads send the rest in one round trip.
        var reader = new SnapshotReader(target(PASSWORD), ServerVersion.parse("8.0.36"));
        try (var connection = MySqlConnections.connect(target(PASSWORD), 3000, "vigil-test", true)) {
            ServerSnapshot first = reader.read(connection);
            ServerSnapshot second = reader.read(connection);
            for (ServerSnapshot s : List.of(first, second)) {
                assertThat(s.status()).containsKey("Uptime");
                assertThat(s.variables()).containsKeys("max_connections", "read_only");
                assertThat(s.groupMembers()).isEmpty();
                assertThat(GroupReplicationStatus.read(s)).isEmpty();
            }
        }
    }
}
