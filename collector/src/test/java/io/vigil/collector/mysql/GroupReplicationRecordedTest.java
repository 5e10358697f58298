package io.vigil.collector.mysql;

import io.vigil.collector.CounterRates;
import io.vigil.collector.Reading;
import io.vigil.collector.Scraper;
import io.vigil.model.Sample;
import io.vigil.model.TargetKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.vigil.collector.mysql.GroupReplicationMetrics.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MySQL Group Replication members of 5.7, 8.0 and 8.4, through outputs recorded from real groups
 * (src/test/resources/recorded/group-replication, sources in the README there): what each member
 * reports of the group as it sees it.
 */
class GroupReplicationRecordedTest {

    private static List<Reading> read(String recording) {
        return GroupReplicationStatus.read(RecordedServer.groupMember(recording));
    }

    /** metric{member} → value, for the per-member metrics. */
    private static Map<String, Double> perMember(List<Reading> readings, String metric) {
        var out = new TreeMap<String, Double>();
        readings.stream().filter(r -> r.metric().equals(metric)).forEach(r -> out.put(r.labels().get(MEMBER), r.value()));
        return out;
    }

    private static Double single(List<Reading> readings, String metric) {
        var values = readings.stream().filter(r -> r.metric().equals(metric)).map(Reading::value).toList();
        assertThat(values).as(metric).hasSizeLessThanOrEqualTo(1);
        return values.isEmpty() ? null : values.getFirst();
    }

    @Test
    void mysql8027HealthyGroupOfThreeNamesItsPrimaryByRole() {
        var r = read("mysql-8.0.27-healthy");
        assertThat(single(r, MEMBERS)).isEqualTo(3.0);
        assertThat(perMember(r, MEMBER_STATE)).isEqualTo(Map.of("example1:4410", 1.0, "example2:4420", 1.0, "example3:4430", 1.0));
        assertThat(perMember(r, MEMBER_PRIMARY)).isEqualTo(Map.of("example1:4410", 1.0, "example2:4420", 0.0, "example3:4430", 0.0));
        // server_uuid e059ce5c-… is example2's MEMBER_ID
        assertThat(single(r, LOCAL_STATE)).isEqualTo(1.0);
    }

    @Test
    void mysql8019AfterAMemberWasKilledTheSurvivorsViewHasTwoMembers() {
        var r = read("mysql-8.0.19-member-lost");
        assertThat(single(r, MEMBERS)).isEqualTo(2.0);
        assertThat(perMember(r, MEMBER_STATE)).isEqualTo(Map.of("node1.example.com:3306", 1.0, "node3.example.com:3306", 1.0));
        assertThat(perMember(r, MEMBER_PRIMARY)).containsEntry("node1.example.com:3306", 1.0).containsEntry("node3.example.com:3306", 0.0);
        assertThat(single(r, LOCAL_STATE)).isEqualTo(1.0);
    }

    @Test
    void mysql848MemberCutOffByPacketLossIsUnreachableNotGone() {
        var r = read("mysql-8.4.8-unreachable");
        assertThat(single(r, MEMBERS)).isEqualTo(3.0);
        assertThat(perMember(r, MEMBER_STATE)).isEqualTo(Map.of(
                "mysql-ha-cluster-0.mysql-ha-cluster-pods.demo:3306", 1.0,
                "mysql-ha-cluster-1.mysql-ha-cluster-pods.demo:3306", 5.0,
                "mysql-ha-cluster-2.mysql-ha-cluster-pods.demo:3306", 1.0));
        assertThat(perMember(r, MEMBER_PRIMARY)).containsEntry("mysql-ha-cluster-2.mysql-ha-cluster-pods.demo:3306", 1.0);
        // the recording selected four columns: no MEMBER_ID, so no row is known to be this server's own
        assertThat(single(r, LOCAL_STATE)).isNull();
    }

    @Test
    void mysql57HasNoRoleColumnAndWithoutTheStatusVariableNamesNoPrimary() {
        var r = read("mysql-5.7.29-healthy");
        assertThat(perMember(r, MEMBER_STATE)).hasSize(3).allSatisfy((m, state) -> assertThat(state).isEqualTo(1.0));
        assertThat(perMember(r, MEMBER_PRIMARY)).isEmpty();
    }

    @Test
    void mysql57SinglePrimaryTakesThePrimaryFromTheStatusVariable() {
        var r = read("mysql-5.7-member-lost");
        assertThat(single(r, MEMBERS)).isEqualTo(2.0);
        assertThat(perMember(r, MEMBER_PRIMARY)).isEqualTo(Map.of("127.0.0.1:26001", 1.0, "127.0.0.1:26002", 0.0));
    }

    @Test
    void mysql57InMultiPrimaryModeEveryOnlineMemberIsAPrimary() {
        ServerSnapshot recorded = RecordedServer.groupMember("mysql-5.7.29-healthy");
        // the same view on a group started with group_replication_single_primary_mode=OFF: no primary member is announced
        var multiPrimary = new ServerSnapshot(Map.of("group_replication_primary_member", ""),
                Map.of("group_replication_single_primary_mode", "OFF"), Map.of(), List.of(), recorded.groupMembers(), List.of());
        assertThat(perMember(GroupReplicationStatus.read(multiPrimary), MEMBER_PRIMARY)).hasSize(3)
                .allSatisfy((m, primary) -> assertThat(primary).isEqualTo(1.0));
    }

    @Test
    void mysql5717ExpelledMemberSeesOnlyItselfInError() {
        var r = read("mysql-5.7.17-expelled");
        assertThat(single(r, MEMBERS)).isEqualTo(1.0);
        assertThat(perMember(r, MEMBER_STATE)).isEqualTo(Map.of("f18ff539956d:3306", 4.0));
        assertThat(single(r, LOCAL_STATE)).isEqualTo(4.0);
    }

    @Test
    void queuesComeFromThisMembersOwnStatsRow() {
        ServerSnapshot backlog = RecordedServer.groupMember("mysql-8.0-applier-backlog");
        var r = GroupReplicationStatus.queues(backlog.groupMemberStats(), backlog.variables().get("server_uuid"));
        // row 1 (MEMBER_ID 52763d77-…, this server): COUNT_TRANSACTIONS_IN_QUEUE 2, REMOTE_IN_APPLIER_QUEUE 53794
        assertThat(single(r, CERTIFICATION_QUEUE)).isEqualTo(2.0);
        assertThat(single(r, APPLIER_QUEUE)).isEqualTo(53794.0);
        assertThat(single(r, CONFLICTS)).isEqualTo(2.0);
        // the same stats read on the member of row 2
        var other = GroupReplicationStatus.queues(backlog.groupMemberStats(), "68159daa-c6c1-11ef-8d9a-00163e4d7f76");
        assertThat(single(other, APPLIER_QUEUE)).isEqualTo(0.0);
        assertThat(single(other, CONFLICTS)).isEqualTo(46.0);
    }

    @Test
    void mysql57StatsHaveOneRowAndNoApplierQueue() {
        ServerSnapshot s = RecordedServer.groupMember("mysql-5.7-stats");
        var r = GroupReplicationStatus.queues(s.groupMemberStats(), null);
        assertThat(single(r, CERTIFICATION_QUEUE)).isEqualTo(0.0);
        assertThat(single(r, CONFLICTS)).isEqualTo(0.0);
        assertThat(single(r, APPLIER_QUEUE)).isNull();
    }

    @Test
    void conflictsBecomeARate() {
        ServerSnapshot backlog = RecordedServer.groupMember("mysql-8.0-applier-backlog");
        var rates = new CounterRates();
        String self = "68159daa-c6c1-11ef-8d9a-00163e4d7f76";
        rates.apply(GroupReplicationStatus.queues(backlog.groupMemberStats(), self), 0);
        // 10 s later the same member has detected 6 more conflicts (46 → 52)
        var later = backlog.groupMemberStats().stream().map(row -> {
            var copy = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
            copy.putAll(row);
            if (self.equals(row.get("MEMBER_ID"))) {
                copy.put("COUNT_CONFLICTS_DETECTED", "52");
            }
            return (Map<String, String>) copy;
        }).toList();
        List<Sample> samples = rates.apply(GroupReplicationStatus.queues(later, self), 10_000);
        assertThat(samples).filteredOn(s -> s.metric().equals(CONFLICTS)).singleElement()
                .satisfies(s -> assertThat(s.value()).isEqualTo(0.6));
    }

    @Test
    void aServerOutsideAnyGroupReportsNoGroupMetrics() {
        // MySQL 8.0 without the plugin still returns one row: no MEMBER_ID, no host, OFFLINE
        var standalone = new ServerSnapshot(Map.of(), Map.of("server_uuid", "3e11fa47-71ca-11e1-9e33-c80aa9429562"), Map.of(), List.of(),
                List.of(row("CHANNEL_NAME", "group_replication_applier", "MEMBER_ID", "", "MEMBER_HOST", "", "MEMBER_STATE", "OFFLINE")),
                List.of());
        assertThat(GroupReplicationStatus.read(standalone)).isEmpty();
        // the plugin loaded, no group configured: OFFLINE with its own id, still not a group member
        var pluginOnly = new ServerSnapshot(Map.of(), Map.of("group_replication_group_name", ""), Map.of(), List.of(),
                List.of(row("MEMBER_ID", "3e11fa47-71ca-11e1-9e33-c80aa9429562", "MEMBER_HOST", "db1", "MEMBER_PORT", "3306",
                        "MEMBER_STATE", "OFFLINE")), List.of());
        assertThat(GroupReplicationStatus.read(pluginOnly)).isEmpty();
    }

    @Test
    void theGroupsMembersArePeersToDiscover() {
        var members = RecordedServer.groupMember("mysql-8.0.27-healthy").groupMembers();
        assertThat(MySqlScraper.groupPeers(members)).extracting(Scraper.Peer::address)
                .containsExactly("example1:4410", "example2:4420", "example3:4430");
        assertThat(MySqlScraper.groupPeers(members)).allSatisfy(p -> assertThat(p.kind()).isEqualTo(TargetKind.MYSQL));
    }

    private static Map<String, String> row(String... kv) {
        var m = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
