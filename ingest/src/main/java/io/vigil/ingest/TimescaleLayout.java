package io.vigil.ingest;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * TimescaleDB: {@code samples} is a hypertable with one-day chunks, compressed (segmented by
 * series, so a series' points stay together) once a chunk is a few hours old, and dropped by a
 * retention policy that TimescaleDB's own job scheduler runs. Chunks are created by the extension
 * on insert, so there is nothing to premake or drop here.
 */
public final class TimescaleLayout implements StoreLayout {

    /** Late points still land uncompressed for this long; after it, chunks are compressed. */
    static final Duration COMPRESS_AFTER = Duration.ofHours(6);

    private final StoreSettings settings;

    public TimescaleLayout(StoreSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "timescaledb";
    }

    /**
     * Order matters: the extension before its functions, the hypertable before compression
     * settings, compression settings before the compression policy. Policies are removed and
     * re-added so that a changed {@code vigil.ingest.retention} takes effect on the next start
     * ({@code if_not_exists} alone would keep the old interval).
     */
    @Override
    public List<String> ddl() {
        return List.of(
                "CREATE EXTENSION IF NOT EXISTS timescaledb",
                "CREATE TABLE IF NOT EXISTS samples (time timestamptz NOT NULL, series_id bigint NOT NULL, value double precision)",
                "SELECT create_hypertable('samples', 'time', chunk_time_interval => interval '1 day', if_not_exists => true)",
                "CREATE INDEX IF NOT EXISTS samples_series_time ON samples (series_id, time)",
                // Changing compression settings fails once chunks are compressed, so only enable it once.
                """
                DO $$
                BEGIN
                  IF NOT EXISTS (SELECT 1 FROM timescaledb_information.hypertables
                                 WHERE hypertable_schema = current_schema() AND hypertable_name = 'samples'
                                   AND compression_enabled) THEN
                    ALTER TABLE samples SET (timescaledb.compress, timescaledb.compress_segmentby = 'series_id',
                                             timescaledb.compress_orderby = 'time');
                  END IF;
                END $$""",
                "SELECT remove_compression_policy('samples', if_exists => true)",
                "SELECT add_compression_policy('samples', compress_after => " + intervalLiteral(COMPRESS_AFTER) + ")",
                "SELECT remove_retention_policy('samples', if_exists => true)",
                "SELECT add_retention_policy('samples', drop_after => " + intervalLiteral(settings.retention()) + ")");
    }

    /** A PostgreSQL interval literal for a duration, exact to the second. */
    static String intervalLiteral(Duration d) {
        return "interval '" + d.toSeconds() + " seconds'";
    }

    @Override
    public void ensureDays(Connection c, Set<LocalDate> days) {
        // chunks are created by TimescaleDB on insert
    }

    @Override
    public void premake(Connection c, Instant now) {
        // chunks are created by TimescaleDB on insert
    }

    @Override
    public List<String> dropExpired(Connection c, Instant now) {
        return List.of(); // the retention policy job does it inside the database
    }

    @Override
    public void forgetCachedState() {
        // nothing cached
    }
}
