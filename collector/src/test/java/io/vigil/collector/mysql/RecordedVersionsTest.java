package io.vigil.collector.mysql;

import io.vigil.collector.CounterRates;
import io.vigil.collector.Reading;
import io.vigil.model.Labels;
import io.vigil.model.Sample;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.vigil.collector.mysql.MySqlMetrics.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** MySQL 5.7 and 8.0 through their recorded outputs (src/test/resources/recorded), two scrapes 10 s apart. */
class RecordedVersionsTest {

    private static final double EPS = 1e-9;

    /** What the collector publishes for scrape 2: rates, ratios and gauges. */
    static List<Sample> scrapeTwice(String version) {
        var status = new MySqlStatusMetrics();
        var rates = new CounterRates();
        for (int scrape = 1; scrape <= 2; scrape++) {
            ServerSnapshot s = RecordedServer.snapshot(version, scrape);
            var readings = new java.util.ArrayList<Reading>(status.read(s));
            readings.addAll(ReplicationMetrics.read(s.replicas().stream().map(ReplicaRow::new).toList(),
                    s.variables().get("gtid_slave_pos")));
            var samples = rates.apply(readings, scrape * 10_000L);
            if (scrape == 2) {
                return samples;
            }
        }
        throw new AssertionError("unreachable");
    }

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

    @Test
    void mariaDb1011CapturedWithTheSqlThreadStoppedIsBrokenWithoutLag() {
        var m = channel(scrapeTwice("mariadb-10.11"), DEFAULT_CHANNEL);
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

    @Test
    void mysql57ServerMetricsComeFromTheIntervalAndDeadlocksAreAbsentWhenTheirCounterIsDisabled() {
        var m = channel(scrapeTwice("mysql-5.7"), DEFAULT_CHANNEL);
        assertThat(m.get(QPS)).isCloseTo(4123.3, within(EPS));
        assertThat(m.get(TPS)).isCloseTo(202.0, within(EPS));
        assertThat(m.get(CONNECTIONS)).isCloseTo(21.2, within(EPS));
        assertThat(m.get(ABORTED_CONNECTS)).isCloseTo(0.3, within(EPS));
        assertThat(m.get(CONNECTIONS_REFUSED)).isCloseTo(0.9, within(EPS));
        assertThat(m.get(SLOW_QUERIES)).isCloseTo(1.4, within(EPS));
        // 1824 misses in 9,120,000 requests this interval (the lifetime ratio would say 0.99986)
        assertThat(m.get(BUFFER_POOL_HIT_RATIO)).isCloseTo(1 - 1824.0 / 9_120_000, within(EPS));
        assertThat(m.get(BUFFER_POOL_DIRTY_PAGES)).isEqualTo(20856);
        assertThat(m.get(BUFFER_POOL_DIRTY_RATIO)).isCloseTo(20856.0 / 1638392, within(EPS));
        assertThat(m.get(ROW_LOCK_WAITS)).isCloseTo(1.2, within(EPS));
        assertThat(m.get(ROW_LOCK_TIME)).isCloseTo(64.0, within(EPS));
        assertThat(m.get(BYTES_RECEIVED)).isCloseTo(812_300.0, within(EPS));
        assertThat(m.get(BYTES_SENT)).isCloseTo(9_123_000.0, within(EPS));
        assertThat(m.get(THREADS_CONNECTED)).isEqualTo(299);
        assertThat(m.get(THREADS_RUNNING)).isEqualTo(12);
        assertThat(m.get(UPTIME)).isEqualTo(9_302_221);
        assertThat(m.get(MAX_CONNECTIONS)).isEqualTo(800);
        assertThat(m.get(READ_ONLY)).isEqualTo(1);
        assertThat(m.get(HISTORY_LIST_LENGTH)).isEqualTo(2011);
        assertThat(m).doesNotContainKey(DEADLOCKS);
    }

    @Test
    void mysql57DelayedReplicaWithSlaveColumnNames() {
        var m = channel(scrapeTwice("mysql-5.7"), DEFAULT_CHANNEL);
        assertThat(m).containsEntry(REPLICATION_LAG, 1860.0)
                .containsEntry(REPLICATION_BROKEN, 0.0)
                .containsEntry(REPLICATION_IO_RUNNING, 1.0)
                .containsEntry(REPLICATION_SQL_RUNNING, 1.0)
                .containsEntry(REPLICATION_LAST_IO_ERRNO, 0.0)
                .containsEntry(REPLICATION_LAST_SQL_ERRNO, 0.0)
                .containsEntry(REPLICATION_SQL_DELAY, 3600.0)
                .containsEntry(REPLICATION_SQL_REMAINING_DELAY, 1740.0)
                .containsEntry(REPLICATION_GTID_BEHIND, 290.0);
    }

    @Test
    void mysql80HasDeadlocksAndHistoryFromInnodbMetrics() {
        var m = channel(scrapeTwice("mysql-8.0"), DEFAULT_CHANNEL);
        assertThat(m.get(DEADLOCKS)).isCloseTo(0.3, within(EPS));
        assertThat(m.get(HISTORY_LIST_LENGTH)).isEqualTo(131);
        assertThat(m.get(QPS)).isCloseTo(2061.6, within(EPS));
        assertThat(m.get(TPS)).isCloseTo(101.0, within(EPS));
        assertThat(m.get(BUFFER_POOL_HIT_RATIO)).isCloseTo(1 - 912.0 / 4_560_000, within(EPS));
        assertThat(m.get(CONNECTIONS_REFUSED)).isZero();
        assertThat(m.get(MAX_CONNECTIONS)).isEqualTo(2000);
    }

    @Test
    void mysql80MultiSourceReplicaWithReplicaColumnNamesHasOneSeriesPerChannel() {
        List<Sample> samples = scrapeTwice("mysql-8.0");
        assertThat(samples).filteredOn(s -> s.metric().equals(REPLICATION_BROKEN)).extracting(Sample::labels)
                .containsExactlyInAnyOrder(Labels.of(CHANNEL, DEFAULT_CHANNEL), Labels.of(CHANNEL, "analytics"));

        assertThat(channel(samples, DEFAULT_CHANNEL)).containsEntry(REPLICATION_LAG, 3.0)
                .containsEntry(REPLICATION_BROKEN, 0.0)
                .containsEntry(REPLICATION_GTID_BEHIND, 13.0)
                .containsEntry(REPLICATION_SQL_DELAY, 0.0)
                .doesNotContainKey(REPLICATION_SQL_REMAINING_DELAY);

        var analytics = channel(samples, "analytics");
        assertThat(analytics).containsEntry(REPLICATION_BROKEN, 1.0)
                .containsEntry(REPLICATION_IO_RUNNING, 1.0)
                .containsEntry(REPLICATION_SQL_RUNNING, 0.0)
                .containsEntry(REPLICATION_LAST_SQL_ERRNO, 1062.0)
                .containsEntry(REPLICATION_GTID_BEHIND, 43.0)
                .doesNotContainKey(REPLICATION_LAG);
    }

    /** Keeps the registry (and through it docs/metrics.md) honest: it lists exactly what the mappers emit. */
    @Test
    void theRegistryListsExactlyWhatTheRecordedVersionsEmit() {
        var emitted = new java.util.TreeSet<String>();
        RecordedServer.VERSIONS.forEach(v -> scrapeTwice(v).forEach(s -> emitted.add(s.metric())));
        assertThat(emitted).containsExactlyInAnyOrderElementsOf(MySqlMetrics.ALL);
    }
}
