package io.vigil.ingest;

import io.vigil.model.SeriesBuckets;

import java.time.Duration;
import java.util.List;

/**
 * The rollup tables: {@code samples_1m} and {@code samples_1h}, one row per series and bucket, in
 * the shape of {@link SeriesBuckets} (a bucket is named by its end and holds the points in
 * {@code (end - width, end]}). Vigil keeps them itself, on both layouts, rather than TimescaleDB's
 * continuous aggregates: exact counter rates need the reset correction over consecutive points and
 * end-closed buckets, which a continuous aggregate cannot express, and one definition serves both.
 *
 * <p>Every write of points also records the time range it touched in {@code rollup_pending}, once
 * per width, in the same transaction. {@link RollupMaintainer} recomputes the buckets of pending
 * ranges and deletes them; readers compute the buckets of ranges still pending from the raw points.
 * So a rollup is never stale, however late or out of order points arrive. The maintainer also logs
 * the bucket ends it rewrote or expired in {@code rollup_changes}, for readers that keep buckets in
 * memory ({@link FinishedBuckets}).
 */
public enum Rollups {
    MINUTE("samples_1m", Duration.ofMinutes(1)),
    HOUR("samples_1h", Duration.ofHours(1));

    static final String PENDING_TABLE = "rollup_pending";
    /**
     * Every change the maintainer made to stored buckets, in commit order per width (it holds the
     * width's advisory lock): readers that keep finished buckets in memory drop what it names.
     */
    static final String CHANGES_TABLE = "rollup_changes";

    private final String table;
    private final Duration width;

    Rollups(String table, Duration width) {
        this.table = table;
        this.width = width;
    }

    public String table() {
        return table;
    }

    public Duration width() {
        return width;
    }

    public long widthMillis() {
        return width.toMillis();
    }

    public static Rollups ofWidth(long widthMillis) {
        for (Rollups r : values()) {
            if (r.widthMillis() == widthMillis) {
                return r;
            }
        }
        throw new IllegalArgumentException("no rollup of width " + widthMillis + " ms; there are 1m and 1h");
    }

    static List<String> ddl() {
        var ddl = new java.util.ArrayList<String>();
        for (Rollups r : values()) {
            ddl.add("CREATE TABLE IF NOT EXISTS " + r.table + " (series_id bigint NOT NULL, bucket timestamptz NOT NULL,"
                    + " cnt int NOT NULL, sum double precision NOT NULL, min double precision, max double precision,"
                    + " first_time timestamptz, first_val double precision, last_time timestamptz, last_val double precision,"
                    + " resets double precision NOT NULL, stale_time timestamptz, nan_cnt int NOT NULL,"
                    + " PRIMARY KEY (series_id, bucket))");
            // Retention deletes by time alone; buckets are written in about time order, so a BRIN finds them cheaply.
            ddl.add("CREATE INDEX IF NOT EXISTS " + r.table + "_bucket_brin ON " + r.table + " USING brin (bucket)");
        }
        ddl.add("CREATE TABLE IF NOT EXISTS " + PENDING_TABLE + " (id bigserial PRIMARY KEY, width_seconds int NOT NULL,"
                + " from_time timestamptz NOT NULL, to_time timestamptz NOT NULL)");
        ddl.add("CREATE TABLE IF NOT EXISTS " + CHANGES_TABLE + " (id bigserial PRIMARY KEY, width_seconds int NOT NULL,"
                + " from_end timestamptz NOT NULL, to_end timestamptz NOT NULL, logged_at timestamptz NOT NULL DEFAULT now())");
        return ddl;
    }

    /** The end of the bucket that holds {@code column}, as SQL: the next multiple of the width since the epoch. */
    String bucketExpression(String column) {
        return "to_timestamp(ceil(extract(epoch FROM " + column + ") / " + width.toSeconds() + ") * " + width.toSeconds() + ")";
    }

    /** Deletes the buckets ending in {@code [?, ?]}, before {@link #recomputeSql()} writes them again. */
    String clearSql() {
        return "DELETE FROM " + table + " WHERE bucket >= ? AND bucket <= ?";
    }

    /**
     * Computes the buckets of the raw points in {@code (?, ?]} (a whole number of buckets), exactly
     * {@link SeriesBuckets#of}. Kinds: 0 a value, 1 a staleness marker, 2 any other NaN.
     */
    String recomputeSql() {
        return """
                WITH raw AS (
                  SELECT series_id, time, value, %1$s AS bucket,
                         CASE WHEN value <> 'NaN'::float8 THEN 0
                              WHEN float8send(value) = '\\x7ff0000000000002'::bytea THEN 1 ELSE 2 END AS kind
                  FROM samples WHERE time > ? AND time <= ?
                ), ordered AS (
                  SELECT *, lag(value) OVER (PARTITION BY series_id, bucket, kind ORDER BY time) AS prev FROM raw
                )
                INSERT INTO %2$s (series_id, bucket, cnt, sum, min, max, first_time, first_val, last_time, last_val, resets,
                                  stale_time, nan_cnt)
                SELECT series_id, bucket,
                       count(*) FILTER (WHERE kind = 0),
                       coalesce(sum(value) FILTER (WHERE kind = 0), 0),
                       min(value) FILTER (WHERE kind = 0),
                       max(value) FILTER (WHERE kind = 0),
                       min(time) FILTER (WHERE kind = 0),
                       (array_agg(value ORDER BY time) FILTER (WHERE kind = 0))[1],
                       max(time) FILTER (WHERE kind = 0),
                       (array_agg(value ORDER BY time DESC) FILTER (WHERE kind = 0))[1],
                       coalesce(sum(prev) FILTER (WHERE kind = 0 AND value < prev), 0),
                       max(time) FILTER (WHERE kind = 1),
                       count(*) FILTER (WHERE kind = 2)
                FROM ordered GROUP BY series_id, bucket""".formatted(bucketExpression("time"), table);
    }
}
