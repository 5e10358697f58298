package io.vigil.collector.mysql;

import java.util.Map;
import java.util.OptionalDouble;

import static io.vigil.collector.mysql.MySqlMetrics.DEFAULT_CHANNEL;

/**
 * One row of SHOW ALL SLAVES STATUS (MariaDB), SHOW SLAVE STATUS (MySQL before 8.0.22) or SHOW
 * REPLICA STATUS (8.0.22+, where Master became Source and Slave became Replica in column names).
 * Each accessor tries the new spelling first, then the old one.
 */
record ReplicaRow(Map<String, String> columns) {

    /** MariaDB's Connection_name or MySQL's Channel_Name; the unnamed one is "default". */
    String channel() {
        String name = first("Connection_name", "Channel_Name");
        return name == null || name.isBlank() ? DEFAULT_CHANNEL : name;
    }

    /** The raw lag column: a number of seconds, or null when the server cannot tell (threads stopped or broken). */
    String secondsBehind() {
        return first("Seconds_Behind_Source", "Seconds_Behind_Master");
    }

    /** Only "Yes" is running; "Connecting" means the IO thread has no link to the primary. */
    boolean ioRunning() {
        return "Yes".equalsIgnoreCase(strip(first("Replica_IO_Running", "Slave_IO_Running")));
    }

    boolean sqlRunning() {
        return "Yes".equalsIgnoreCase(strip(first("Replica_SQL_Running", "Slave_SQL_Running")));
    }

    OptionalDouble number(String column) {
        return ServerValues.number(columns, column);
    }

    String get(String column) {
        return columns.get(column);
    }

    private String first(String... names) {
        for (String n : names) {
            if (columns.containsKey(n)) {
                return columns.get(n);
            }
        }
        return null;
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }
}
