package io.vigil.collector.logs;

/**
 * One row of {@code performance_schema.events_statements_summary_by_digest} as read: counters since the
 * server started or the table was truncated. Times in seconds (the table's picoseconds / 10^12).
 */
public record DigestRow(String schema, String digest, String digestText, long count, double totalSeconds,
                        double maxSeconds, double lockSeconds, long rowsSent, long rowsExamined, long rowsAffected,
                        long errors, long warnings, long noIndexUsed) {

    /** Digests of the same statement in different schemas are different rows. */
    public record Key(String schema, String digest) {
    }

    public Key key() {
        return new Key(schema, digest);
    }

    /** Whether any counter is below {@code before}'s: the table was truncated or the server restarted. */
    boolean wentBackFrom(DigestRow before) {
        return count < before.count || totalSeconds < before.totalSeconds || lockSeconds < before.lockSeconds
                || rowsSent < before.rowsSent || rowsExamined < before.rowsExamined || rowsAffected < before.rowsAffected
                || errors < before.errors || warnings < before.warnings || noIndexUsed < before.noIndexUsed;
    }
}
