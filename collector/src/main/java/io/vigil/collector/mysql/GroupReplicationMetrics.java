package io.vigil.collector.mysql;

import java.util.List;

/**
 * Every metric the MySQL scraper emits for a member of a MySQL Group Replication group (InnoDB
 * Cluster), from {@code performance_schema.replication_group_members} and
 * {@code replication_group_member_stats}. Kept apart from {@link MySqlMetrics} because only
 * servers that belong to a group emit them. {@code docs/metrics.md} documents each one; a test
 * holds the two lists equal.
 */
public final class GroupReplicationMetrics {

    /** Label naming a member as the group announces it: MEMBER_HOST:MEMBER_PORT. */
    public static final String MEMBER = "member";

    public static final String MEMBERS = "mysql_group_members";
    public static final String MEMBER_STATE = "mysql_group_member_state";
    public static final String MEMBER_PRIMARY = "mysql_group_member_primary";
    public static final String LOCAL_STATE = "mysql_group_local_state";
    public static final String CERTIFICATION_QUEUE = "mysql_group_certification_queue";
    public static final String APPLIER_QUEUE = "mysql_group_applier_queue";
    public static final String CONFLICTS = "mysql_group_conflicts_per_second";

    public static final List<String> ALL = List.of(
            MEMBERS, MEMBER_STATE, MEMBER_PRIMARY, LOCAL_STATE, CERTIFICATION_QUEUE, APPLIER_QUEUE, CONFLICTS);

    private GroupReplicationMetrics() {
    }
}
