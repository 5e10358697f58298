package io.vigil.notifier;

import io.vigil.testbed.Postgres;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/** A fresh database on the test bed's PostgreSQL, with the outbox table. */
final class TestDb {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestDb() {
    }

    static DataSource fresh(Postgres postgres, String prefix) {
        String name = prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        var ds = new PGSimpleDataSource();
        ds.setURL(postgres.createDatabase(name));
        ds.setUser(postgres.user());
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
