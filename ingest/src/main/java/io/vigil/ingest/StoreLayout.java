package io.vigil.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * How the {@code samples} table is physically kept. The logical schema (columns, the
 * {@code series} dictionary, the offsets table) is the same for every layout, so reads and
 * writes do not care which one is in use; only DDL, partition upkeep and retention differ.
 */
public interface StoreLayout {

    /** Short name for logs and errors: "timescaledb" or "partitioned". */
    String name();

    /**
     * Idempotent DDL that creates {@code samples} with its indexes and policies, in order. Run by
     * {@link StoreSchema} in one transaction under the schema advisory lock.
     */
    List<String> ddl();

    /**
     * Makes sure every UTC day in {@code days} can receive rows, committing any DDL it needs in
     * its own short transaction on {@code c} (which must be in auto-commit mode).
     */
    void ensureDays(Connection c, Set<LocalDate> days) throws SQLException;

    /** Creates storage ahead of time for today and the configured number of days after it. */
    void premake(Connection c, Instant now) throws SQLException;

    /**
     * Drops data older than the retention, returning what was dropped (partition names), empty
     * when the database does it by itself.
     */
    List<String> dropExpired(Connection c, Instant now) throws SQLException;

    /**
     * Forgets whatever the layout remembers about existing storage, so the next write checks the
     * catalog again: called after a failed write, which may have been caused by a partition that
     * another process dropped.
     */
    void forgetCachedState();
}
