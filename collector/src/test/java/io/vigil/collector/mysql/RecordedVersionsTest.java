package io.vigil.collector.mysql;

import io.vigil.collector.CounterRates;
import io.vigil.collector.Reading;
import io.vigil.model.Labels;
import io.vigil.model.Sample;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static io.vigil.collector.mysql.MySqlMetrics.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * MySQL 5.7 and 8.0 and MariaDB 10.11 through outputs recorded from real servers
 * (src/test/resources/recorded, sources in the README there). Every expected value is worked out
 * by hand from the recorded files; the arithmetic stands beside it.
 */
class RecordedVersionsTest {

    private static final double EPS = 1e-9;

    /**
     * What the collector publishes for scrape 2 of a recording whose two scrapes were taken
     * {@code seconds} apart: rates over that interval, ratios, gauges.
     */
    static List<Sample> scrapeTwice(String recording, double seconds) {
        var status = new MySqlStatusMetrics();
        var rates = new CounterRates();
        List<Sample> samples = List.of();
        for (int scrape = 1; scrape <= 2; scrape++) {
            ServerSnapshot s = RecordedServer.snapshot(recording, scrape);
            var readings = new ArrayList<Reading>(status.read(s));
            readings.addAll(ReplicationMetrics.read(s.replicas().stream().map(ReplicaRow::new).toList(),
                    s.variables().get("gtid_slave_pos")));
            samples = rates.apply(readings, Math.round(scrape * seconds * 1000));
        }
        return samples;
    }

    /** The samples of one channel plus the server-wide ones (those without a channel label). */
    private static Map<String, Double> channel(List<Sample> samples, String channel) {
        var out = new HashMap<String, Double>();
        for (Sample s : samples) {
            String c = s.labels().get(CHANNEL);
            if (c == null || c.equals(channel)) {
                out.put(s.metric(), s.value());
            }
        }
        return out;
    }

    private static final List<String> REPLICATION = List.of(REPLICATION_LAG, REPLICATION_BROKEN, REPLICATION_IO_RUNNING,
            REPLICATION_SQL_RUNNING, REPLICATION_LAST_IO_ERRNO, REPLICATION_LAST_SQL_ERRNO, REPLICATION_SQL_DELAY,
            REPLICATION_SQL_REMAINING_DELAY, REPLICATION_GTID_BEHIND);

    // ---------------------------------------------------------------- MariaDB 10.11 (captured here)

    @Test
    void mariaDb1011CapturedWithTheSqlThreadStoppedIsBrokenWithoutLag() {
        var m = channel(scrapeTwice("mariadb-10.11", 1.5), DEFAULT_CHANNEL);
        assertThat(m).containsEntry(REPLICATION_BROKEN, 1.0)
                .containsEntry(REPLICATION_IO_RUNNING, 1.0)
                .containsEntry(REPLICATION_SQL_RUNNING, 0.0)
                .containsEntry(REPLICATION_GTID_BEHIND, 3.0) // Gtid_IO_Pos 0-71-13, gtid_slave_pos 0-71-10
                .containsEntry(READ_ONLY, 1.0)
                .containsEntry(MAX_CONNECTIONS, 151.0)
                .containsEntry(HISTORY_LIST_LENGTH, 0.0)
                .containsEntry(DEADLOCKS, 0.0) // from status Innodb_deadlocks, no INNODB_METRICS needed
                .doesNotContainKey(REPLICATION_LAG)
                .doesNotContainKey(REPLICATION_SQL_REMAINING_DELAY);
        assertThat(m.get(BUFFER_POOL_HIT_RATIO)).isBetween(0.0, 1.0);
    }

    // ---------------------------------------------------------------- MySQL 5.7, SHOW GLOBAL STATUS

    /** mysqladmin extended-status -i1: Uptime 546 in scrape 1, 547 in scrape 2. */
    private static final double MYSQL_57_INTERVAL = 547 - 546;

    @Test
    void mysql57StatusTwoScrapesOneSecondApart() {
        var m = channel(scrapeTwice("mysql-5.7-status", MYSQL_57_INTERVAL), DEFAULT_CHANNEL);
        assertThat(m.get(QPS)).isCloseTo(34.0, within(EPS)); // Questions 457 - 423 = 34 in 1 s
        assertThat(m.get(TPS)).isCloseTo(0.0, within(EPS)); // Com_commit 1 -> 1, Com_rollback 1 -> 1
        assertThat(m.get(CONNECTIONS)).isCloseTo(10.0, within(EPS)); // Connections 39 - 29
        assertThat(m.get(ABORTED_CONNECTS)).isCloseTo(0.0, within(EPS)); // Aborted_connects 0 -> 0
        assertThat(m.get(CONNECTIONS_REFUSED)).isCloseTo(0.0, within(EPS)); // Connection_errors_max_connections 0 -> 0
        assertThat(m.get(SLOW_QUERIES)).isCloseTo(0.0, within(EPS)); // Slow_queries 0 -> 0
        assertThat(m.get(ROW_LOCK_WAITS)).isCloseTo(0.0, within(EPS)); // Innodb_row_lock_waits 0 -> 0
        assertThat(m.get(ROW_LOCK_TIME)).isCloseTo(0.0, within(EPS)); // Innodb_row_lock_time 0 -> 0
        assertThat(m.get(BYTES_RECEIVED)).isCloseTo(4691.0, within(EPS)); // 3414655 - 3409964
        assertThat(m.get(BYTES_SENT)).isCloseTo(26454.0, within(EPS)); // 42555645 - 42529191
        // Innodb_buffer_pool_reads 836 -> 838 (2 misses), read_requests 543053 -> 543095 (42 requests)
        assertThat(m.get(BUFFER_POOL_HIT_RATIO)).isCloseTo(1 - 2.0 / 42, within(EPS));
        assertThat(m.get(BUFFER_POOL_DIRTY_PAGES)).isEqualTo(0); // Innodb_buffer_pool_pages_dirty 0
        assertThat(m.get(BUFFER_POOL_DIRTY_RATIO)).isEqualTo(0); // 0 dirty / 1024 total pages
        assertThat(m.get(THREADS_CONNECTED)).isEqualTo(2); // scrape 2 (scrape 1 said 3)
        assertThat(m.get(THREADS_RUNNING)).isEqualTo(2);
        assertThat(m.get(UPTIME)).isEqualTo(547);
        // MySQL 5.7 has neither Innodb_deadlocks nor Innodb_history_list_length in its status, and this
        // recording holds no INNODB_METRICS, no variables and no replication status: nothing made up.
        assertThat(m).doesNotContainKeys(DEADLOCKS, HISTORY_LIST_LENGTH, MAX_CONNECTIONS, READ_ONLY)
                .doesNotContainKeys(REPLICATION.toArray(String[]::new));
    }

    // ---------------------------------------------------------------- MySQL 8.0 (Percona Server 8.0.32), a source

    /** pt-mysql-summary: SHOW GLOBAL STATUS, sleep 10 s, again; Uptime 174515 then 174526. */
    private static final double MYSQL_80_INTERVAL = 174526 - 174515;

    @Test
    void mysql80StatusTwoScrapesElevenSecondsApart() {
        var m = channel(scrapeTwice("mysql-8.0.32-percona-source", MYSQL_80_INTERVAL), DEFAULT_CHANNEL);
        assertThat(m.get(QPS)).isCloseTo(63.0 / 11, within(EPS)); // Questions 41133 - 41070 = 63 in 11 s
        assertThat(m.get(TPS)).isCloseTo(0.0, within(EPS)); // Com_commit 2 -> 2, Com_rollback 1 -> 1
        assertThat(m.get(CONNECTIONS)).isCloseTo(21.0 / 11, within(EPS)); // Connections 5379 - 5358
        assertThat(m.get(ABORTED_CONNECTS)).isCloseTo(0.0, within(EPS)); // Aborted_connects 0 -> 0
        assertThat(m.get(CONNECTIONS_REFUSED)).isCloseTo(0.0, within(EPS)); // Connection_errors_max_connections 0 -> 0
        assertThat(m.get(SLOW_QUERIES)).isCloseTo(63.0 / 11, within(EPS)); // long_query_time 0: Slow_queries 41131 - 41068
        assertThat(m.get(ROW_LOCK_WAITS)).isCloseTo(0.0, within(EPS)); // Innodb_row_lock_waits 0 -> 0
        assertThat(m.get(ROW_LOCK_TIME)).isCloseTo(0.0, within(EPS));
        assertThat(m.get(BYTES_RECEIVED)).isCloseTo(6662.0 / 11, within(EPS)); // 6482936 - 6476274
        assertThat(m.get(BYTES_SENT)).isCloseTo(40358.0 / 11, within(EPS)); // 30107217 - 30066859
        // Innodb_buffer_pool_reads 21382 -> 21433 (51), read_requests 1346717 -> 1347448 (731)
        assertThat(m.get(BUFFER_POOL_HIT_RATIO)).isCloseTo(1 - 51.0 / 731, within(EPS));
        assertThat(m.get(BUFFER_POOL_DIRTY_PAGES)).isEqualTo(0);
        assertThat(m.get(BUFFER_POOL_DIRTY_RATIO)).isEqualTo(0); // 0 / 1024
        assertThat(m.get(THREADS_CONNECTED)).isEqualTo(3);
        assertThat(m.get(THREADS_RUNNING)).isEqualTo(3);
        assertThat(m.get(UPTIME)).isEqualTo(174526);
        assertThat(m.get(MAX_CONNECTIONS)).isEqualTo(151);
        assertThat(m.get(READ_ONLY)).isEqualTo(0); // read_only OFF: a source
        // Percona Server 8.0 dropped Innodb_deadlocks / Innodb_history_list_length from its status, and
        // the recording holds no INNODB_METRICS; a source's SHOW REPLICA STATUS is an empty result.
        assertThat(m).doesNotContainKeys(DEADLOCKS, HISTORY_LIST_LENGTH)
                .doesNotContainKeys(REPLICATION.toArray(String[]::new));
    }

    // ---------------------------------------------------------------- MySQL 5.7.26 replica, SHOW SLAVE STATUS

    @Test
    void mysql57DelayedReplicaWaitingOutItsDelay() {
        var m = channel(scrapeTwice("mysql-5.7.26-delayed-replica", 10), DEFAULT_CHANNEL);
        assertThat(m).containsEntry(REPLICATION_LAG, 43186.0) // Seconds_Behind_Master: 43186
                .containsEntry(REPLICATION_BROKEN, 0.0)
                .containsEntry(REPLICATION_IO_RUNNING, 1.0) // Slave_IO_Running: Yes
                .containsEntry(REPLICATION_SQL_RUNNING, 1.0) // Slave_SQL_Running: Yes
                .containsEntry(REPLICATION_LAST_IO_ERRNO, 0.0)
                .containsEntry(REPLICATION_LAST_SQL_ERRNO, 0.0)
                .containsEntry(REPLICATION_SQL_DELAY, 43200.0) // SQL_Delay: 43200 (12 h)
                .containsEntry(REPLICATION_SQL_REMAINING_DELAY, 14.0) // SQL_Remaining_Delay: 14
                // Retrieved 7664fad8…:13798-2409150; Executed (three lines) holds 7664fad8…:1-1299009,
                // so 1299010..2409150 are missing: 2409150 - 1299009 = 1110141
                .containsEntry(REPLICATION_GTID_BEHIND, 1110141.0);
    }

    @Test
    void mysql57ReplicaWhoseSqlThreadStoppedIsBrokenWithoutLag() {
        var m = channel(scrapeTwice("mysql-5.7.26-sql-thread-stopped", 10), DEFAULT_CHANNEL);
        assertThat(m).doesNotContainKey(REPLICATION_LAG) // Seconds_Behind_Master: NULL, never 0
                .containsEntry(REPLICATION_BROKEN, 1.0)
                .containsEntry(REPLICATION_IO_RUNNING, 1.0)
                .containsEntry(REPLICATION_SQL_RUNNING, 0.0) // Slave_SQL_Running: No
                .containsEntry(REPLICATION_LAST_SQL_ERRNO, 0.0) // stopped by START SLAVE UNTIL, not by an error
                .containsEntry(REPLICATION_SQL_DELAY, 0.0)
                .doesNotContainKey(REPLICATION_SQL_REMAINING_DELAY) // NULL
                // Retrieved 7664fad8…:13798-2409629, Executed 7664fad8…:1-2409381: 2409629 - 2409381 = 248
                .containsEntry(REPLICATION_GTID_BEHIND, 248.0);
    }

    // ---------------------------------------------------------------- MySQL 8.0 replicas

    @Test
    void mysql80ReplicaStatusWithSourceAndReplicaColumnNames() {
        var m = channel(scrapeTwice("mysql-8.0-replica-caught-up", 10), DEFAULT_CHANNEL);
        assertThat(m).containsEntry(REPLICATION_LAG, 0.0) // Seconds_Behind_Source: 0
                .containsEntry(REPLICATION_BROKEN, 0.0)
                .containsEntry(REPLICATION_IO_RUNNING, 1.0) // Replica_IO_Running: Yes
                .containsEntry(REPLICATION_SQL_RUNNING, 1.0) // Replica_SQL_Running: Yes
                .containsEntry(REPLICATION_LAST_IO_ERRNO, 0.0)
                .containsEntry(REPLICATION_LAST_SQL_ERRNO, 0.0)
                .containsEntry(REPLICATION_SQL_DELAY, 0.0)
                .containsEntry(REPLICATION_GTID_BEHIND, 0.0) // Retrieved 73f86016…:1-3, Executed 73f86016…:1-3
                .doesNotContainKey(REPLICATION_SQL_REMAINING_DELAY);
    }

    @Test
    void mysql80MultiSourceReplicaHasOneSeriesPerNamedChannel() {
        List<Sample> samples = scrapeTwice("mysql-8.0-multi-source", 10);
        // Two rows, Channel_Name shad1 and shad2, and no unnamed channel on this replica.
        assertThat(samples).filteredOn(s -> s.metric().equals(REPLICATION_BROKEN)).extracting(Sample::labels)
                .containsExactlyInAnyOrder(Labels.of(CHANNEL, "shad1"), Labels.of(CHANNEL, "shad2"));
        for (String channel : List.of("shad1", "shad2")) {
            assertThat(channel(samples, channel)).as(channel)
                    .containsEntry(REPLICATION_LAG, 0.0) // Seconds_Behind_Master: 0 (8.0 before 8.0.22: Slave_* columns)
                    .containsEntry(REPLICATION_BROKEN, 0.0)
                    .containsEntry(REPLICATION_IO_RUNNING, 1.0)
                    .containsEntry(REPLICATION_SQL_RUNNING, 1.0)
                    .containsEntry(REPLICATION_SQL_DELAY, 0.0)
                    .doesNotContainKey(REPLICATION_GTID_BEHIND) // position-based: Retrieved_Gtid_Set empty
                    .doesNotContainKey(REPLICATION_SQL_REMAINING_DELAY);
        }
    }

    // ---------------------------------------------------------------- INNODB_METRICS (hand-written, see README)

    @Test
    void deadlocksAndHistoryLengthFromInnodbMetricsWhenStatusLacksThem() {
        var m = channel(scrapeTwice("handwritten-innodb-metrics", 10), DEFAULT_CHANNEL);
        assertThat(m.get(DEADLOCKS)).isCloseTo(0.3, within(EPS)); // lock_deadlocks 412 -> 415 in 10 s
        assertThat(m.get(HISTORY_LIST_LENGTH)).isEqualTo(131); // trx_rseg_history_len of scrape 2
    }

    /** Keeps the registry (and through it docs/metrics.md) honest: it lists exactly what the mappers emit. */
    @Test
    void theRegistryListsExactlyWhatTheRecordedVersionsEmit() {
        var emitted = new TreeSet<String>();
        RecordedServer.VERSIONS.forEach(v -> scrapeTwice(v, 10).forEach(s -> emitted.add(s.metric())));
        assertThat(emitted).containsExactlyInAnyOrderElementsOf(MySqlMetrics.ALL);
    }
}
