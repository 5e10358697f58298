package io.vigil.notifier.dispatch;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** One unit of dispatch work in one transaction: committed whole, or rolled back whole and reported with what it was. */
final class Transactions {

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private Transactions() {
    }

    /** @throws DispatchException "cannot {what}: …" when PostgreSQL fails; nothing of the work is kept */
    static <T> T run(DataSource dataSource, String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DispatchException("cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
