package io.vigil.ingest;

import io.vigil.testbed.Postgres;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A fresh database on the test bed's PostgreSQL, and small SQL helpers for assertions. */
final class TestDb {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    final Postgres postgres;
    final String name;
    final PGSimpleDataSource dataSource;

    private TestDb(Postgres postgres, String name, PGSimpleDataSource dataSource) {
        this.postgres = postgres;
        this.name = name;
        this.dataSource = dataSource;
    }

    /** A new, empty database; the suffix keeps names unique across tests and reruns against a reused cluster. */
    static TestDb fresh(Postgres postgres, String prefix) {
        String name = prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        var ds = new PGSimpleDataSource();
        ds.setURL(postgres.createDatabase(name));
        ds.setUser(postgres.user());
        return new TestDb(postgres, name, ds);
    }

    DataSource ds() {
        return dataSource;
    }

    long count(String sql) {
        return queryLongs(sql).getFirst();
    }

    List<Long> queryLongs(String sql) {
        try (Connection c = dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            var result = new ArrayList<Long>();
            while (rs.next()) {
                result.add(rs.getLong(1));
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    List<String> queryStrings(String sql) {
        try (Connection c = dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            var result = new ArrayList<String>();
            while (rs.next()) {
                result.add(rs.getString(1));
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    void execute(String sql) {
        try (Connection c = dataSource.getConnection(); var st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    List<String> samplePartitions() {
        return queryStrings("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE i.inhparent = 'samples'::regclass ORDER BY 1");
    }
}
