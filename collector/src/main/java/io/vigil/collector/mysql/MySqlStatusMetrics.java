package io.vigil.collector.mysql;

import io.vigil.collector.CounterDeltaRatio;
import io.vigil.collector.Reading;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static io.vigil.collector.mysql.MySqlMetrics.*;
import static io.vigil.collector.mysql.ServerValues.flag;
import static io.vigil.collector.mysql.ServerValues.number;

/**
 * Maps the server-wide part of a snapshot (status, variables, INNODB_METRICS) to readings; works
 * for MySQL 5.7/8.x and MariaDB 10.x alike. A value the server does not have yields no reading,
 * never a made-up 0. Keeps the previous buffer pool totals for the hit ratio: one per target.
 */
final class MySqlStatusMetrics {

    /** A metric read straight from one status variable. */
    private record FromStatus(String metric, String variable) {
    }

    /** Counters that become per-second rates. */
    private static final List<FromStatus> RATES = List.of(
            new FromStatus(QPS, "Questions"), // statements sent by clients, not those inside stored programs: the QPS DBAs quote
            new FromStatus(CONNECTIONS, "Connections"),
            new FromStatus(ABORTED_CONNECTS, "Aborted_connects"),
            new FromStatus(CONNECTIONS_REFUSED, "Connection_errors_max_connections"),
            new FromStatus(SLOW_QUERIES, "Slow_queries"),
            new FromStatus(ROW_LOCK_WAITS, "Innodb_row_lock_waits"),
            new FromStatus(ROW_LOCK_TIME, "Innodb_row_lock_time"), // milliseconds, so its rate is ms of waiting per second
            new FromStatus(BYTES_RECEIVED, "Bytes_received"),
            new FromStatus(BYTES_SENT, "Bytes_sent"));

    private static final List<FromStatus> GAUGES = List.of(
            new FromStatus(THREADS_CONNECTED, "Threads_connected"),
            new FromStatus(THREADS_RUNNING, "Threads_running"),
            new FromStatus(UPTIME, "Uptime"),
            new FromStatus(BUFFER_POOL_DIRTY_PAGES, "Innodb_buffer_pool_pages_dirty"));

    private final CounterDeltaRatio bufferPoolMisses = new CounterDeltaRatio();

    List<Reading> read(ServerSnapshot snapshot) {
        Map<String, String> status = snapshot.status();
        var out = new ArrayList<Reading>();
        for (FromStatus r : RATES) {
            number(status, r.variable()).ifPresent(v -> out.add(Reading.counter(r.metric(), v)));
        }
        for (FromStatus g : GAUGES) {
            number(status, g.variable()).ifPresent(v -> out.add(Reading.gauge(g.metric(), v)));
        }

        var commit = number(status, "Com_commit");
        var rollback = number(status, "Com_rollback");
        if (commit.isPresent() && rollback.isPresent()) {
            out.add(Reading.counter(TPS, commit.getAsDouble() + rollback.getAsDouble()));
        }
        hitRatio(status).ifPresent(v -> out.add(Reading.gauge(BUFFER_POOL_HIT_RATIO, v)));
        var dirty = number(status, "Innodb_buffer_pool_pages_dirty");
        var total = number(status, "Innodb_buffer_pool_pages_total");
        if (dirty.isPresent() && total.isPresent() && total.getAsDouble() > 0) {
            out.add(Reading.gauge(BUFFER_POOL_DIRTY_RATIO, dirty.getAsDouble() / total.getAsDouble()));
        }

        // MariaDB (and Percona Server before 8.0) keep these in SHOW GLOBAL STATUS; MySQL, and Percona
        // Server 8.0 (its recorded status has neither), only in INNODB_METRICS.
        firstOf(number(status, "Innodb_deadlocks"), number(snapshot.innodbMetrics(), "lock_deadlocks"))
                .ifPresent(v -> out.add(Reading.counter(DEADLOCKS, v)));
        firstOf(number(status, "Innodb_history_list_length"), number(snapshot.innodbMetrics(), "trx_rseg_history_len"))
                .ifPresent(v -> out.add(Reading.gauge(HISTORY_LIST_LENGTH, v)));

        number(snapshot.variables(), "max_connections").ifPresent(v -> out.add(Reading.gauge(MAX_CONNECTIONS, v)));
        flag(snapshot.variables().get("read_only")).ifPresent(v -> out.add(Reading.gauge(READ_ONLY, v)));
        return out;
    }

    /** After a failed scrape: the next interval must not span the gap's possible restart. */
    void reset() {
        bufferPoolMisses.reset();
    }

    /** Over the last interval, not since startup: a cold cache this minute must not hide behind months of hits. */
    private OptionalDouble hitRatio(Map<String, String> status) {
        var reads = number(status, "Innodb_buffer_pool_reads");
        var requests = number(status, "Innodb_buffer_pool_read_requests");
        if (reads.isEmpty() || requests.isEmpty()) {
            return OptionalDouble.empty();
        }
        var missRatio = bufferPoolMisses.update(reads.getAsDouble(), requests.getAsDouble());
        // The two counters are not read atomically; clamp so a racing disk read cannot give a negative ratio.
        return missRatio.isPresent() ? OptionalDouble.of(Math.max(0, 1 - missRatio.getAsDouble())) : missRatio;
    }

    private static OptionalDouble firstOf(OptionalDouble a, OptionalDouble b) {
        return a.isPresent() ? a : b;
    }
}
