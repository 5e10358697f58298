package io.vigil.collector.mysql;

import io.vigil.collector.Reading;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Maps {@code SHOW GLOBAL STATUS} to Vigil's MySQL metrics; works for MySQL 5.7/8.x and MariaDB alike. */
final class MySqlStatusMetrics {

    static final String QPS = "mysql_qps";
    static final String TPS = "mysql_tps";
    static final String THREADS_CONNECTED = "mysql_threads_connected";
    static final String THREADS_RUNNING = "mysql_threads_running";
    static final String UPTIME = "mysql_uptime_seconds";
    static final List<String> NAMES = List.of(QPS, TPS, THREADS_CONNECTED, THREADS_RUNNING, UPTIME);

    private MySqlStatusMetrics() {
    }

    static List<Reading> fromGlobalStatus(Map<String, String> status) {
        var out = new ArrayList<Reading>();
        // Questions counts statements sent by clients (not those inside stored programs): the QPS DBAs quote.
        number(status, "Questions").ifPresent(v -> out.add(Reading.counter(QPS, v)));
        var commit = number(status, "Com_commit");
        var rollback = number(status, "Com_rollback");
        if (commit.isPresent() && rollback.isPresent()) {
            out.add(Reading.counter(TPS, commit.getAsDouble() + rollback.getAsDouble()));
        }
        number(status, "Threads_connected").ifPresent(v -> out.add(Reading.gauge(THREADS_CONNECTED, v)));
        number(status, "Threads_running").ifPresent(v -> out.add(Reading.gauge(THREADS_RUNNING, v)));
        number(status, "Uptime").ifPresent(v -> out.add(Reading.gauge(UPTIME, v)));
        return out;
    }

    private static java.util.OptionalDouble number(Map<String, String> status, String name) {
        String raw = status.get(name);
        if (raw == null || raw.isEmpty()) {
            return java.util.OptionalDouble.empty();
        }
        try {
            return java.util.OptionalDouble.of(Double.parseDouble(raw));
        } catch (NumberFormatException e) {
            return java.util.OptionalDouble.empty();
        }
    }
}
