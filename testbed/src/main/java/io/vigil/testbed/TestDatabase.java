package io.vigil.testbed;

import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A fresh database on the test bed's PostgreSQL, and small SQL helpers for assertions. */
public final class TestDatabase {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Postgres postgres;
    private final String name;
    private final PGSimpleDataSource dataSource;

    private TestDatabase(Postgres postgres, String name, PGSimpleDataSource dataSource) {
        this.postgres = postgres;
        this.name = name;
        this.dataSource = dataSource;
    }

    /** A new, empty database; the suffix keeps names unique across tests and reruns against a reused cluster. */
    public static TestDatabase fresh(Postgres postgres, String prefix) {
        String name = prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        var ds = new PGSimpleDataSource();
        ds.setURL(postgres.createDatabase(name));
        ds.setUser(postgres.user());
        return new TestDatabase(postgres, name, ds);
    }

    public DataSource ds() {
        return dataSource;
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return dataSource.getURL();
    }

    public Postgres postgres() {
        return postgres;
    }

    public long count(String sql) {
        return queryLongs(sql).getFirst();
    }

    public List<Long> queryLongs(String sql) {
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

    public List<String> queryStrings(String sql) {
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

    public void execute(String sql) {
        try (Connection c = dataSource.getConnection(); var st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
