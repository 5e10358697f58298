package io.vigil.collector.mysql;

import io.vigil.model.Target;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a {@link ServerSnapshot} over one connection. The first read on a connection sends each
 * statement alone and drops, with one warning, those the monitoring user lacks the privilege for
 * (a user without SLAVE MONITOR still gets every server metric) or the server cannot answer (no
 * group replication tables). Later reads send the surviving statements as one multi-statement:
 * one round trip per scrape. One instance per connection.
 */
final class SnapshotReader {

    private static final Logger LOG = Logger.getLogger(SnapshotReader.class);

    /** ER_SPECIFIC_ACCESS_DENIED_ERROR, ER_TABLEACCESS_DENIED_ERROR, ER_COLUMNACCESS_DENIED_ERROR, ER_DBACCESS_DENIED_ERROR. */
    private static final Set<Integer> ACCESS_DENIED = Set.of(1227, 1142, 1143, 1044);
    /**
     * ER_NO_SUCH_TABLE, ER_BAD_FIELD_ERROR, ER_PARSE_ERROR: the server, a fork or an unusual build
     * lacks the table, the column or the syntax. Like a missing privilege, they cost only the
     * metrics of the statement that met them.
     */
    private static final Set<Integer> NOT_ANSWERABLE = Set.of(1146, 1054, 1064);

    static final String VARIABLES_SQL = "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('max_connections', 'read_only',"
            + " 'gtid_slave_pos', 'server_uuid', 'group_replication_group_name', 'group_replication_single_primary_mode')";
    // SELECT *: the columns grew from 5.7 (no MEMBER_ROLE) to 8.0; rows are read by column name.
    static final String GROUP_MEMBERS_SQL = "SELECT * FROM performance_schema.replication_group_members";
    static final String GROUP_MEMBER_STATS_SQL = "SELECT * FROM performance_schema.replication_group_member_stats";
    static final String INNODB_METRICS_SQL = "SELECT NAME, COUNT FROM information_schema.INNODB_METRICS"
            + " WHERE NAME IN ('lock_deadlocks', 'trx_rseg_history_len') AND STATUS = 'enabled'";

    private enum Part { STATUS, VARIABLES, INNODB_METRICS, REPLICATION, GROUP_MEMBERS, GROUP_MEMBER_STATS }

    /** A statement of the plan; {@code privilege} is what the monitoring user needs for it, named when access is denied. */
    private record Query(Part part, String sql, String lostMetrics, String privilege) {
    }

    private final Target target;
    private List<Query> plan;
    /** True until the first read has settled which statements this user may run. */
    private boolean probing = true;

    SnapshotReader(Target target, ServerVersion version) {
        this.target = target;
        var queries = new ArrayList<Query>();
        queries.add(new Query(Part.STATUS, "SHOW GLOBAL STATUS", "", ""));
        queries.add(new Query(Part.VARIABLES, VARIABLES_SQL, "mysql_read_only and mysql_max_connections", "none"));
        if (version.needsInnodbMetrics()) {
            queries.add(new Query(Part.INNODB_METRICS, INNODB_METRICS_SQL,
                    "deadlocks and history list length", "PROCESS"));
        }
        queries.add(new Query(Part.REPLICATION, version.replicationStatusSql(),
                "replication metrics", version.mariaDb() ? "SLAVE MONITOR on 10.5+, REPLICATION CLIENT before" : "REPLICATION CLIENT"));
        if (version.hasGroupReplication()) {
            queries.add(new Query(Part.GROUP_MEMBERS, GROUP_MEMBERS_SQL,
                    "group replication metrics", "SELECT on performance_schema"));
            queries.add(new Query(Part.GROUP_MEMBER_STATS, GROUP_MEMBER_STATS_SQL,
                    "group replication queue metrics", "SELECT on performance_schema"));
        }
        this.plan = queries;
    }

    ServerSnapshot read(Connection connection) throws SQLException {
        var parts = new Parts();
        if (probing) {
            probe(connection, parts);
            probing = false;
        } else {
            readAtOnce(connection, parts);
        }
        return parts.snapshot();
    }

    private void probe(Connection connection, Parts parts) throws SQLException {
        var allowed = new ArrayList<Query>();
        for (Query q : plan) {
            try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(q.sql())) {
                parts.take(q.part(), rs);
                allowed.add(q);
            } catch (SQLException e) {
                boolean denied = ACCESS_DENIED.contains(e.getErrorCode());
                if (q.part() == Part.STATUS || !(denied || NOT_ANSWERABLE.contains(e.getErrorCode()))) {
                    throw e;
                }
                String why = denied ? " (needs " + q.privilege() + ")" : "";
                LOG.warnf("target %s: not collecting %s%s: %s", target.id(), q.lostMetrics(), why, firstLine(e));
            }
        }
        plan = List.copyOf(allowed);
    }

    private void readAtOnce(Connection connection, Parts parts) throws SQLException {
        String sql = String.join("; ", plan.stream().map(Query::sql).toList());
        try (Statement st = connection.createStatement()) {
            boolean hasResult = st.execute(sql);
            for (Query q : plan) {
                if (!hasResult) {
                    throw new SQLException("no result set for " + q.sql());
                }
                try (ResultSet rs = st.getResultSet()) {
                    parts.take(q.part(), rs);
                }
                hasResult = st.getMoreResults();
            }
        }
    }

    private static String firstLine(SQLException e) {
        return e.getMessage() == null ? "error " + e.getErrorCode() : e.getMessage().lines().findFirst().orElse("");
    }

    /** The result sets of one read, sorted by part. */
    private static final class Parts {
        private final Map<String, String> status = new HashMap<>(512);
        private final Map<String, String> variables = new HashMap<>();
        private final Map<String, String> innodbMetrics = new HashMap<>();
        private final List<Map<String, String>> replicas = new ArrayList<>();
        private final List<Map<String, String>> groupMembers = new ArrayList<>();
        private final List<Map<String, String>> groupMemberStats = new ArrayList<>();

        void take(Part part, ResultSet rs) throws SQLException {
            switch (part) {
                case STATUS -> pairs(rs, status);
                case VARIABLES -> pairs(rs, variables);
                case INNODB_METRICS -> pairs(rs, innodbMetrics);
                case REPLICATION -> rows(rs, replicas);
                case GROUP_MEMBERS -> rows(rs, groupMembers);
                case GROUP_MEMBER_STATS -> rows(rs, groupMemberStats);
            }
        }

        ServerSnapshot snapshot() {
            return new ServerSnapshot(status, variables, innodbMetrics, replicas, groupMembers, groupMemberStats);
        }

        private static void pairs(ResultSet rs, Map<String, String> into) throws SQLException {
            while (rs.next()) {
                String value = rs.getString(2);
                if (value != null) {
                    into.put(rs.getString(1), value);
                }
            }
        }

        private static void rows(ResultSet rs, List<Map<String, String>> into) throws SQLException {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                // Case-insensitive: MariaDB says Connection_name, MySQL Channel_Name.
                var row = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rs.getString(i));
                }
                into.add(row);
            }
        }
    }
}
