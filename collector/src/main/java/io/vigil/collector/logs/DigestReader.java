package io.vigil.collector.logs;

import io.vigil.collector.mysql.MySqlConnections;
import io.vigil.model.Target;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a MySQL or MariaDB server's statement digests over Connector/J, with the target's address and
 * credentials. The connection is kept between reads and opened again after a failure.
 */
public final class DigestReader implements AutoCloseable {

    private static final String QUERY = "SELECT SCHEMA_NAME, DIGEST, DIGEST_TEXT, COUNT_STAR, SUM_TIMER_WAIT, MAX_TIMER_WAIT,"
            + " SUM_LOCK_TIME, SUM_ROWS_SENT, SUM_ROWS_EXAMINED, SUM_ROWS_AFFECTED, SUM_ERRORS, SUM_WARNINGS, SUM_NO_INDEX_USED"
            + " FROM performance_schema.events_statements_summary_by_digest WHERE DIGEST IS NOT NULL";
    private static final String OWN_TABLE = "events_statements_summary_by_digest";
    private static final BigDecimal PICOS = BigDecimal.valueOf(1_000_000_000_000L);

    private final Target target;
    private Connection connection;

    public DigestReader(Target target) {
        this.target = target;
    }

    public Map<DigestRow.Key, DigestRow> read() throws SQLException {
        try {
            if (connection == null) {
                // The table can hold thousands of rows: allow a read several times the target's timeout.
                connection = MySqlConnections.connect(target, (int) Math.max(1000, target.timeout().toMillis()) * 4,
                        "vigil-log-shipper", false);
                requirePerformanceSchema(connection);
            }
            var rows = new HashMap<DigestRow.Key, DigestRow>();
            try (var st = connection.createStatement(); ResultSet rs = st.executeQuery(QUERY)) {
                while (rs.next()) {
                    if (rs.getString(3) != null && rs.getString(3).contains(OWN_TABLE)) {
                        continue; // this very read, and other monitors' reads of the table: noise in every delta
                    }
                    var row = new DigestRow(rs.getString(1) == null ? "" : rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getLong(4), seconds(rs, 5), seconds(rs, 6), seconds(rs, 7), rs.getLong(8), rs.getLong(9),
                            rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getLong(13));
                    rows.put(row.key(), row);
                }
            }
            return rows;
        } catch (SQLException e) {
            close();
            throw new SQLException("statement digests of " + MySqlConnections.describe(target, e), e.getSQLState(),
                    e.getErrorCode(), e);
        }
    }

    /** With performance_schema off the table is merely empty: say so rather than ship nothing in silence. */
    private static void requirePerformanceSchema(Connection c) throws SQLException {
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@performance_schema")) {
            if (!rs.next() || rs.getInt(1) != 1) {
                throw new SQLException("performance_schema is OFF; set performance_schema=ON in the server's my.cnf and "
                        + "restart it, or tail its slow log instead");
            }
        }
    }

    /** Picoseconds in BIGINT UNSIGNED, which can pass a long's range on a busy server. */
    private static double seconds(ResultSet rs, int column) throws SQLException {
        BigDecimal ps = rs.getBigDecimal(column);
        return ps == null ? 0 : ps.divide(PICOS).doubleValue();
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // discarded because broken, or at shutdown
            }
            connection = null;
        }
    }
}
