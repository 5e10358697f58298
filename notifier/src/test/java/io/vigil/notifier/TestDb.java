package io.vigil.notifier;

import io.vigil.testbed.Postgres;
import io.vigil.testbed.TestDatabase;

import javax.sql.DataSource;
import java.sql.SQLException;

/** The test bed's fresh database, with the outbox table. */
final class TestDb {

    private TestDb() {
    }

    static DataSource fresh(Postgres postgres, String prefix) {
        DataSource ds = TestDatabase.fresh(postgres, prefix).ds();
        new OutboxSchema(ds).ensure();
        return ds;
    }

    static long count(DataSource ds, String sql) {
        try (var c = ds.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
