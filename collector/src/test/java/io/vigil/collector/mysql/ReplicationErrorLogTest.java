package io.vigil.collector.mysql;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicationErrorLogTest {

    private final ReplicationErrorLog log = new ReplicationErrorLog("pay-db-2");

    private static ReplicaRow row(String channel, String sqlErrno, String sqlError) {
        Map<String, String> columns = new HashMap<>();
        columns.put("Channel_Name", channel);
        columns.put("Last_IO_Errno", "0");
        columns.put("Last_IO_Error", "");
        columns.put("Last_SQL_Errno", sqlErrno);
        columns.put("Last_SQL_Error", sqlError);
        return new ReplicaRow(columns);
    }

    @Test
    void anErrorIsLoggedOncePerChangeWithTargetAndChannel() {
        assertThat(log.observe(List.of(row("", "0", "")))).isEmpty();

        String duplicate = "Could not execute Write_rows_v1 event on table app.t; Duplicate entry '7' for key 'PRIMARY'";
        assertThat(log.observe(List.of(row("", "1062", duplicate))))
                .containsExactly("target pay-db-2 replication channel default: SQL thread error 1062: " + duplicate);
        assertThat(log.observe(List.of(row("", "1062", duplicate)))).as("same error, next scrape").isEmpty();

        assertThat(log.observe(List.of(row("", "1032", "Can't find record in 't'"))))
                .containsExactly("target pay-db-2 replication channel default: SQL thread error 1032: Can't find record in 't'");
        assertThat(log.observe(List.of(row("", "0", ""))))
                .containsExactly("target pay-db-2 replication channel default: SQL thread error 1032 cleared");
    }

    @Test
    void channelsAreTrackedApartAndARemovedChannelIsForgotten() {
        log.observe(List.of(row("", "0", ""), row("analytics", "1146", "Table 'x.y' doesn't exist")));
        assertThat(log.observe(List.of(row("", "0", "")))).isEmpty();
        assertThat(log.observe(List.of(row("", "0", ""), row("analytics", "1146", "Table 'x.y' doesn't exist"))))
                .as("a channel added again reports its error again").hasSize(1);
    }
}
