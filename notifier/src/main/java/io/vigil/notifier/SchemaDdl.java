package io.vigil.notifier;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs idempotent DDL in one transaction under an advisory lock: two instances starting at once
 * would otherwise race in CREATE TABLE IF NOT EXISTS (a unique violation on pg_type).
 */
public final class SchemaDdl {

    private SchemaDdl() {
    }

    /** @param what names the tables in the error message */
    public static void apply(DataSource dataSource, long lockId, String what, String... ddl) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (var st = c.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(" + lockId + ")");
                for (String statement : ddl) {
                    st.execute(statement);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new OutboxException("cannot create " + what + ": " + e.getMessage(), e);
        }
    }
}
