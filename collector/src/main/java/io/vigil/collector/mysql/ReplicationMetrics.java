package io.vigil.collector.mysql;

import io.vigil.collector.Reading;
import io.vigil.model.Labels;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import static io.vigil.collector.mysql.MySqlMetrics.*;

/** Maps replication status rows to per-channel gauges; a server that replicates from nobody yields none. */
final class ReplicationMetrics {

    private ReplicationMetrics() {
    }

    /**
     * @param gtidSlavePos MariaDB's @@gtid_slave_pos (null on MySQL): what the replica has applied
     */
    static List<Reading> read(List<ReplicaRow> rows, String gtidSlavePos) {
        var out = new ArrayList<Reading>();
        for (ReplicaRow row : rows) {
            Labels channel = Labels.of(CHANNEL, row.channel());
            OptionalDouble lag = ServerValues.number(row.secondsBehind());
            // NULL lag means the server cannot tell (a thread stopped or failed): that is broken, never "0 s behind".
            lag.ifPresent(v -> out.add(gauge(REPLICATION_LAG, channel, v)));
            out.add(gauge(REPLICATION_BROKEN, channel, lag.isPresent() ? 0 : 1));
            out.add(gauge(REPLICATION_IO_RUNNING, channel, row.ioRunning() ? 1 : 0));
            out.add(gauge(REPLICATION_SQL_RUNNING, channel, row.sqlRunning() ? 1 : 0));
            out.add(gauge(REPLICATION_LAST_IO_ERRNO, channel, row.number("Last_IO_Errno").orElse(0)));
            out.add(gauge(REPLICATION_LAST_SQL_ERRNO, channel, row.number("Last_SQL_Errno").orElse(0)));
            row.number("SQL_Delay").ifPresent(v -> out.add(gauge(REPLICATION_SQL_DELAY, channel, v)));
            // NULL unless the SQL thread is waiting out the delay right now.
            row.number("SQL_Remaining_Delay").ifPresent(v -> out.add(gauge(REPLICATION_SQL_REMAINING_DELAY, channel, v)));
            gtidBehind(row, gtidSlavePos).ifPresent(v -> out.add(gauge(REPLICATION_GTID_BEHIND, channel, v)));
        }
        return out;
    }

    private static OptionalLong gtidBehind(ReplicaRow row, String gtidSlavePos) {
        String ioPos = row.get("Gtid_IO_Pos");
        if (ioPos != null) {
            // SHOW ALL SLAVES STATUS also carries Gtid_Slave_Pos; the variable is the same value.
            String applied = gtidSlavePos != null ? gtidSlavePos : row.get("Gtid_Slave_Pos");
            return MariaDbGtidLag.behind(ioPos, applied);
        }
        String retrievedText = row.get("Retrieved_Gtid_Set");
        if (retrievedText == null || retrievedText.isBlank()) {
            // GTIDs off, or nothing relayed since the replica started: nothing to compare.
            return OptionalLong.empty();
        }
        var retrieved = MySqlGtidSet.parse(retrievedText);
        var executed = MySqlGtidSet.parse(row.get("Executed_Gtid_Set"));
        if (retrieved.isEmpty() || executed.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(retrieved.get().countMissingFrom(executed.get()));
    }

    private static Reading gauge(String metric, Labels channel, double value) {
        return new Reading(metric, channel, value, false);
    }
}
