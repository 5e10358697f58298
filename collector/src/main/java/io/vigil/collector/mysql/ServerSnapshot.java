package io.vigil.collector.mysql;

import java.util.List;
import java.util.Map;

/**
 * What one scrape read from a server, before mapping to metrics; recorded outputs of other server
 * versions become snapshots in tests.
 *
 * @param status        SHOW GLOBAL STATUS, name to value
 * @param variables     the few SHOW GLOBAL VARIABLES the scrape asks for
 * @param innodbMetrics enabled counters of information_schema.INNODB_METRICS (MySQL only), name to COUNT
 * @param replicas      one row per replication channel (column name to value, null for SQL NULL,
 *                      names case-insensitive); empty on a primary or without the privilege to look
 * @param groupMembers  performance_schema.replication_group_members, rows as for replicas (MySQL 5.7.17+ only)
 * @param groupMemberStats performance_schema.replication_group_member_stats, rows as for replicas
 */
record ServerSnapshot(Map<String, String> status, Map<String, String> variables, Map<String, String> innodbMetrics,
                      List<Map<String, String>> replicas, List<Map<String, String>> groupMembers,
                      List<Map<String, String>> groupMemberStats) {

    ServerSnapshot {
        status = Map.copyOf(status);
        variables = Map.copyOf(variables);
        innodbMetrics = Map.copyOf(innodbMetrics);
        replicas = List.copyOf(replicas);
        groupMembers = List.copyOf(groupMembers);
        groupMemberStats = List.copyOf(groupMemberStats);
    }

    ServerSnapshot(Map<String, String> status, Map<String, String> variables, Map<String, String> innodbMetrics,
                   List<Map<String, String>> replicas) {
        this(status, variables, innodbMetrics, replicas, List.of(), List.of());
    }
}
