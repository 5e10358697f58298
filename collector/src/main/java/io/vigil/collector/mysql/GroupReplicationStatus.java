package io.vigil.collector.mysql;

import io.vigil.collector.Reading;
import io.vigil.model.Labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static io.vigil.collector.mysql.GroupReplicationMetrics.*;
import static io.vigil.collector.mysql.ServerValues.flag;
import static io.vigil.collector.mysql.ServerValues.number;

/**
 * Maps a server's view of its Group Replication group to readings. Each member reports the group
 * as it sees it: a member that was expelled sees only itself (ERROR or OFFLINE), one cut off by a
 * partition sees the others as UNREACHABLE; the health rules combine the views of all members.
 */
final class GroupReplicationStatus {

    /** MEMBER_STATE as a number; the text is not put in a label, so that a state change keeps the series. */
    enum MemberState {
        ONLINE(1), RECOVERING(2), OFFLINE(3), ERROR(4), UNREACHABLE(5);

        final int code;

        MemberState(int code) {
            this.code = code;
        }

        static Optional<MemberState> parse(String raw) {
            if (raw == null || raw.isBlank()) {
                return Optional.empty();
            }
            try {
                return Optional.of(valueOf(raw.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException unknownToThisVersion) {
                return Optional.empty();
            }
        }
    }

    private GroupReplicationStatus() {
    }

    /**
     * Nothing for a server that is not in a group: MySQL 8.0 without the plugin still shows one row
     * with no MEMBER_ID, and a server with the plugin loaded but no group configured is standalone.
     */
    static List<Reading> read(ServerSnapshot snapshot) {
        List<Map<String, String>> members = snapshot.groupMembers().stream()
                .filter(m -> !blank(m.get("MEMBER_ID")) || !blank(m.get("MEMBER_HOST"))).toList();
        if (members.isEmpty() || !configured(snapshot.variables(), members)) {
            return List.of();
        }
        String self = snapshot.variables().get("server_uuid");
        var out = new ArrayList<Reading>();
        out.add(Reading.gauge(MEMBERS, members.size()));
        for (Map<String, String> m : members) {
            Labels member = Labels.of(MEMBER, name(m));
            Optional<MemberState> state = MemberState.parse(m.get("MEMBER_STATE"));
            state.ifPresent(s -> out.add(new Reading(MEMBER_STATE, member, s.code, false)));
            primary(m, state, snapshot).ifPresent(p -> out.add(new Reading(MEMBER_PRIMARY, member, p ? 1 : 0, false)));
            if (self != null && self.equalsIgnoreCase(m.get("MEMBER_ID"))) {
                state.ifPresent(s -> out.add(Reading.gauge(LOCAL_STATE, s.code)));
            }
        }
        out.addAll(queues(snapshot.groupMemberStats(), self));
        return out;
    }

    /**
     * This member's queues from replication_group_member_stats: transactions waiting for
     * certification and, from 8.0, remote transactions waiting to be applied. Either queue
     * passing group_replication_flow_control_*_threshold throttles the writers of the whole group.
     */
    static List<Reading> queues(List<Map<String, String>> stats, String self) {
        var out = new ArrayList<Reading>();
        localStats(stats, self).ifPresent(row -> {
            number(row, "COUNT_TRANSACTIONS_IN_QUEUE").ifPresent(v -> out.add(Reading.gauge(CERTIFICATION_QUEUE, v)));
            number(row, "COUNT_TRANSACTIONS_REMOTE_IN_APPLIER_QUEUE").ifPresent(v -> out.add(Reading.gauge(APPLIER_QUEUE, v)));
            number(row, "COUNT_CONFLICTS_DETECTED").ifPresent(v -> out.add(Reading.counter(CONFLICTS, v)));
        });
        return out;
    }

    /** A configured group name says so; without the variable (no privilege, old server) a member that is not OFFLINE does. */
    private static boolean configured(Map<String, String> variables, List<Map<String, String>> members) {
        String group = variables.get("group_replication_group_name");
        if (group != null) {
            return !group.isBlank();
        }
        return members.stream().anyMatch(m -> MemberState.parse(m.get("MEMBER_STATE")).orElse(MemberState.OFFLINE) != MemberState.OFFLINE);
    }

    /**
     * MySQL 8.0.2+ names the role. 5.7 does not: in single-primary mode the primary is the member
     * whose id is in the status variable group_replication_primary_member; in multi-primary mode
     * that variable is empty and every ONLINE member takes writes.
     */
    private static Optional<Boolean> primary(Map<String, String> m, Optional<MemberState> state, ServerSnapshot snapshot) {
        String role = m.get("MEMBER_ROLE");
        if (!blank(role)) {
            return Optional.of(role.strip().equalsIgnoreCase("PRIMARY"));
        }
        if (m.containsKey("MEMBER_ROLE")) {
            // 8.0 leaves the role empty for a member that is not ONLINE or RECOVERING.
            return Optional.of(false);
        }
        boolean multiPrimary = flag(snapshot.variables().get("group_replication_single_primary_mode")).orElse(1) == 0;
        if (multiPrimary) {
            return Optional.of(state.orElse(null) == MemberState.ONLINE);
        }
        String primaryId = snapshot.status().get("group_replication_primary_member");
        if (primaryId == null) {
            return Optional.empty();
        }
        return Optional.of(!blank(m.get("MEMBER_ID")) && primaryId.strip().equalsIgnoreCase(m.get("MEMBER_ID")));
    }

    /** This server's own row: 8.0 lists every member's stats, 5.7 only the local one. */
    private static Optional<Map<String, String>> localStats(List<Map<String, String>> stats, String self) {
        if (self != null) {
            for (Map<String, String> row : stats) {
                if (self.equalsIgnoreCase(row.get("MEMBER_ID"))) {
                    return Optional.of(row);
                }
            }
        }
        return stats.size() == 1 ? Optional.of(stats.getFirst()) : Optional.empty();
    }

    /** host:port as the group announces the member (report_host or hostname); the id when the host is unknown. */
    static String name(Map<String, String> m) {
        String host = m.get("MEMBER_HOST");
        if (blank(host)) {
            return m.get("MEMBER_ID");
        }
        String port = m.get("MEMBER_PORT");
        return blank(port) || port.strip().equals("0") ? host.strip() : host.strip() + ":" + port.strip();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
