package io.vigil.logs.wire;

import io.vigil.logs.slowlog.SlowLogEntry;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A slow-log entry as shipped. The shipper fingerprints the whole statement, then may shorten
 * {@code entry.query()} to its configured limit so that one batch fits a Kafka record: a 1 MB
 * {@code INSERT … VALUES} still lands in the right class.
 *
 * @param entry       the parsed entry; its query may be cut to the first {@code entry.query().length()} characters
 * @param fingerprint pt-query-digest's fingerprint of the whole statement
 * @param queryId     pt-query-digest's query id of that fingerprint
 * @param queryBytes  the UTF-8 length of the whole statement as logged
 */
public record ShippedSlowQuery(SlowLogEntry entry, String fingerprint, String queryId, int queryBytes) {

    public ShippedSlowQuery {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(queryId, "queryId");
    }

    /** Whether {@code entry.query()} is shorter than the statement that was logged. */
    public boolean truncated() {
        return entry.query().getBytes(StandardCharsets.UTF_8).length < queryBytes;
    }
}
