package io.vigil.ingest;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs work in one transaction on a connection and restores its auto-commit mode afterwards. */
final class Tx {

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private Tx() {
    }

    static <T> T run(Connection c, Work<T> work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        boolean done = false;
        try {
            T result = work.run(c);
            c.commit();
            done = true;
            return result;
        } finally {
            if (!done) {
                rollbackQuietly(c);
            }
            if (autoCommit && !c.isClosed()) {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // the connection is broken; the caller is about to see the original error
                }
            }
        }
    }

    static void rollbackQuietly(Connection c) {
        try {
            if (!c.isClosed()) {
                c.rollback();
            }
        } catch (SQLException ignored) {
            // rolling back a broken connection fails too; the original error is what matters
        }
    }
}
