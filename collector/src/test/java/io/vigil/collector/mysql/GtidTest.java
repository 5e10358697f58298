package io.vigil.collector.mysql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GtidTest {

    private static long missing(String retrieved, String executed) {
        return MySqlGtidSet.parse(retrieved).orElseThrow().countMissingFrom(MySqlGtidSet.parse(executed).orElseThrow());
    }

    @Test
    void mariaDbCountsSeqnosReceivedButNotAppliedPerMatchingDomainAndServer() {
        assertThat(MariaDbGtidLag.behind("0-71-6", "0-71-5")).hasValue(1);
        assertThat(MariaDbGtidLag.behind("0-71-5", "0-71-5")).hasValue(0);
        assertThat(MariaDbGtidLag.behind("0-71-120,1-80-7", "1-80-2,0-71-100")).hasValue(25);
        // domain 1 has a different origin server in the two positions: not comparable, not counted
        assertThat(MariaDbGtidLag.behind("0-71-10,1-81-9", "0-71-8,1-80-3")).hasValue(2);
        assertThat(MariaDbGtidLag.behind("0-72-10", "0-71-8")).isEmpty();
        assertThat(MariaDbGtidLag.behind("", "0-71-8")).isEmpty();
        assertThat(MariaDbGtidLag.behind("0-71-x", "0-71-8")).isEmpty();
    }

    @Test
    void mysqlCountsRetrievedTransactionsNotYetExecuted() {
        String uuidA = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        String uuidB = "2174B383-5441-11E8-B90A-C80AA9429562";
        assertThat(missing(uuidA + ":1-100", uuidA + ":1-95")).isEqualTo(5);
        assertThat(missing(uuidA + ":1-100", uuidA + ":1-100,\n" + uuidB + ":1-7")).isZero();
        // executed may have holes (parallel workers); upper case and line breaks as MySQL prints them
        assertThat(missing(uuidA.toUpperCase() + ":1-10:20-30", uuidA + ":1-4:6-10:20-25")).isEqualTo(6);
        assertThat(missing(uuidB + ":5", "")).isEqualTo(1);
        // tagged GTIDs of 8.3+: intervals after a tag belong to the tag
        assertThat(missing(uuidA + ":1-3:etl:1-4", uuidA + ":1-3:etl:1-2")).isEqualTo(2);
        assertThat(MySqlGtidSet.parse("not-a-gtid:1-2")).isEmpty();
        assertThat(MySqlGtidSet.parse(uuidA + ":5-1")).isEmpty();
    }

    @Test
    void versionsPickTheirReplicationStatement() {
        assertThat(ServerVersion.parse("10.11.19-MariaDB-0+deb12u1-log").replicationStatusSql()).isEqualTo("SHOW ALL SLAVES STATUS");
        assertThat(ServerVersion.parse("5.5.5-10.6.16-MariaDB")).isEqualTo(new ServerVersion(true, 10, 6, 16));
        assertThat(ServerVersion.parse("8.0.36").replicationStatusSql()).isEqualTo("SHOW REPLICA STATUS");
        assertThat(ServerVersion.parse("8.0.21-log").replicationStatusSql()).isEqualTo("SHOW SLAVE STATUS");
        assertThat(ServerVersion.parse("5.7.44-log").replicationStatusSql()).isEqualTo("SHOW SLAVE STATUS");
        assertThat(ServerVersion.parse("8.4.3").replicationStatusSql()).isEqualTo("SHOW REPLICA STATUS");
        assertThat(ServerVersion.parse("garbage").replicationStatusSql()).isEqualTo("SHOW SLAVE STATUS");
    }
}
