package io.vigil.collector.logs;

import io.vigil.logs.fingerprint.Fingerprinter;
import io.vigil.logs.fingerprint.QueryId;
import io.vigil.logs.wire.StatementDigestDelta;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What each digest did between two reads. A digest whose counters went down was reset (the table was
 * truncated, the server restarted, or the row was evicted and came back): its counters since the reset are
 * the delta, never a negative one. A digest not seen before counts whole. Digests that did not run are left out.
 */
final class DigestDiff {

    /** A digest as last shipped, and when it was read. */
    record Seen(DigestRow row, Instant at) {
    }

    private final Fingerprinter fingerprinter;

    DigestDiff(Fingerprinter fingerprinter) {
        this.fingerprinter = fingerprinter;
    }

    /** One delta with the row it was computed from, so that the baseline can move once it is shipped. */
    record Change(StatementDigestDelta delta, DigestRow row) {
    }

    /**
     * @param before       what was shipped, per digest
     * @param previousRead when the table was last read: the start of a digest that is new since then
     */
    List<Change> between(Map<DigestRow.Key, Seen> before, Instant previousRead, Map<DigestRow.Key, DigestRow> now, Instant at) {
        var changes = new ArrayList<Change>();
        for (DigestRow row : now.values()) {
            Seen seen = before.get(row.key());
            StatementDigestDelta delta;
            if (seen == null) {
                delta = delta(row, null, previousRead, at);
            } else if (row.wentBackFrom(seen.row())) {
                delta = delta(row, null, seen.at(), at);
            } else if (row.count() > seen.row().count()) {
                delta = delta(row, seen.row(), seen.at(), at);
            } else {
                continue;
            }
            if (delta.count() > 0) {
                changes.add(new Change(delta, row));
            }
        }
        changes.sort(Comparator.comparing((Change c) -> c.delta().schema()).thenComparing(c -> c.delta().digest()));
        return changes;
    }

    private StatementDigestDelta delta(DigestRow now, DigestRow before, Instant from, Instant to) {
        DigestRow b = before == null ? new DigestRow(now.schema(), now.digest(), "", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) : before;
        String text = now.digestText() == null ? "" : now.digestText();
        String fingerprint = fingerprinter.fingerprint(DigestText.asQuery(text));
        return new StatementDigestDelta(now.schema(), now.digest(), text, fingerprint, QueryId.of(fingerprint),
                now.count() - b.count(), now.totalSeconds() - b.totalSeconds(),
                // MAX_TIMER_WAIT is the largest since the table's last reset, not a counter: shipped as read.
                now.maxSeconds(), now.lockSeconds() - b.lockSeconds(), now.rowsSent() - b.rowsSent(),
                now.rowsExamined() - b.rowsExamined(), now.rowsAffected() - b.rowsAffected(), now.errors() - b.errors(),
                now.warnings() - b.warnings(), now.noIndexUsed() - b.noIndexUsed(), from, to);
    }
}
