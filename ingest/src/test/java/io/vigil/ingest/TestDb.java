package io.vigil.ingest;

import io.vigil.testbed.Postgres;
import io.vigil.testbed.TestDatabase;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.util.List;

/** The test bed's fresh database, plus what only the store's tests ask. */
final class TestDb {

    final Postgres postgres;
    final String name;
    final PGSimpleDataSource dataSource;
    private final TestDatabase db;

    private TestDb(TestDatabase db) {
        this.db = db;
        this.postgres = db.postgres();
        this.name = db.name();
        this.dataSource = (PGSimpleDataSource) db.ds();
    }

    static TestDb fresh(Postgres postgres, String prefix) {
        return new TestDb(TestDatabase.fresh(postgres, prefix));
    }

    DataSource ds() {
        return dataSource;
    }

    long count(String sql) {
        return db.count(sql);
    }

    List<Long> queryLongs(String sql) {
        return db.queryLongs(sql);
    }

    List<String> queryStrings(String sql) {
        return db.queryStrings(sql);
    }

    void execute(String sql) {
        db.execute(sql);
    }

    List<String> samplePartitions() {
        return queryStrings("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE i.inhparent = 'samples'::regclass ORDER BY 1");
    }
}
