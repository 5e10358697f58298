package io.vigil.ingest;

import java.sql.Connection;
import java.sql.SQLException;

/** What the database already has, as far as choosing a layout is concerned. */
record ServerFacts(boolean timescaleAvailable, Samples samples) {

    enum Samples {
        ABSENT("nothing"),
        PARTITIONED("a partitioned table (plain PostgreSQL layout)"),
        HYPERTABLE("a TimescaleDB hypertable"),
        PLAIN_TABLE("a plain table");

        final String description;

        Samples(String description) {
            this.description = description;
        }
    }

    static ServerFacts read(Connection c) throws SQLException {
        boolean available = exists(c, "SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'");
        boolean installed = exists(c, "SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'");
        String relkind = null;
        try (var st = c.prepareStatement("""
                SELECT c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relname = 'samples' AND n.nspname = current_schema()""");
             var rs = st.executeQuery()) {
            if (rs.next()) {
                relkind = rs.getString(1);
            }
        }
        Samples samples;
        if (relkind == null) {
            samples = Samples.ABSENT;
        } else if (relkind.equals("p")) {
            samples = Samples.PARTITIONED;
        } else if (installed && exists(c, "SELECT 1 FROM timescaledb_information.hypertables"
                + " WHERE hypertable_schema = current_schema() AND hypertable_name = 'samples'")) {
            samples = Samples.HYPERTABLE;
        } else {
            samples = Samples.PLAIN_TABLE;
        }
        return new ServerFacts(available, samples);
    }

    private static boolean exists(Connection c, String sql) throws SQLException {
        try (var st = c.prepareStatement(sql); var rs = st.executeQuery()) {
            return rs.next();
        }
    }
}
