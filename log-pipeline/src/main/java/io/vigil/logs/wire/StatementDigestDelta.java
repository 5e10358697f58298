package io.vigil.logs.wire;

import java.time.Instant;
import java.util.Objects;

/**
 * What one statement digest of {@code performance_schema.events_statements_summary_by_digest} did between
 * two reads: the differences of its counters. Times are seconds (the table's picoseconds divided by 10^12).
 *
 * @param schema       {@code SCHEMA_NAME}, may be empty
 * @param digest       {@code DIGEST}, the server's own hash of its normalised statement
 * @param digestText   {@code DIGEST_TEXT}, the server's normalised statement (may be cut by the server)
 * @param fingerprint  pt-query-digest's fingerprint of {@code digestText}, so that digests and slow-log
 *                     classes of the same statement meet in search
 * @param queryId      pt-query-digest's query id of that fingerprint
 * @param from         the previous read
 * @param to           this read
 */
public record StatementDigestDelta(String schema, String digest, String digestText, String fingerprint, String queryId,
                                   long count, double totalSeconds, double maxSeconds, double lockSeconds,
                                   long rowsSent, long rowsExamined, long rowsAffected, long errors, long warnings,
                                   long noIndexUsed, Instant from, Instant to) {

    public StatementDigestDelta {
        schema = schema == null ? "" : schema;
        Objects.requireNonNull(digest, "digest");
        digestText = digestText == null ? "" : digestText;
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(queryId, "queryId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }
}
