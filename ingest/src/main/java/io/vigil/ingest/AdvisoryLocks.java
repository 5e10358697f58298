package io.vigil.ingest;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Transaction-scoped advisory locks that serialise Vigil processes sharing one database.
 * PostgreSQL keeps the one-bigint and the two-int key spaces apart, so the schema lock and the
 * per-partition offset locks cannot collide.
 */
final class AdvisoryLocks {

    /** Schema DDL, partition creation and partition drops: "vigil" in ASCII plus a tag. */
    static final long SCHEMA_KEY = 0x7669_6769_6C00_0001L;
    /** Recomputing the buckets of one rollup table: two maintainers must not rewrite the same buckets at once. */
    static final long ROLLUP_KEY = 0x7669_6769_6C00_0002L;
    /** First key of the two-int space used for Kafka partition offsets. */
    static final int OFFSETS_CLASS = 0x7669_6701;

    private AdvisoryLocks() {
    }

    static void lockSchema(Connection c) throws SQLException {
        try (var st = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            st.setLong(1, SCHEMA_KEY);
            st.execute();
        }
    }

    static void lockRollups(Connection c, Rollups rollup) throws SQLException {
        try (var st = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            st.setLong(1, ROLLUP_KEY + rollup.ordinal());
            st.execute();
        }
    }

    /** Serialises writers of one (consumer group, topic, partition) until the transaction ends. */
    static void lockPartition(Connection c, String group, String topic, int partition) throws SQLException {
        try (var st = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
            st.setInt(1, OFFSETS_CLASS);
            st.setString(2, group + '|' + topic + '|' + partition); // a hash collision only serialises two partitions
            st.execute();
        }
    }
}
