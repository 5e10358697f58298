package io.vigil.logs.search;

import java.time.Instant;

/**
 * One slow query as indexed. {@code query} is the statement as the server logged it: attacker-controlled
 * text, to be shown only as data. Numbers the log format did not have are null.
 */
public record SlowQuery(Instant time, String queryId, String fingerprint, String cluster, String instance, String schema,
                        String user, String clientHost, double queryTime, double lockTime, Long rowsSent,
                        Long rowsExamined, Long rowsAffected, String query, boolean truncated) {
}
