package io.vigil.logs.index;

import static io.vigil.logs.index.Fields.*;

import io.vigil.logs.errorlog.ErrorLogEvent;
import io.vigil.logs.slowlog.SlowLogEntry;
import io.vigil.logs.wire.LogBatch;
import io.vigil.logs.wire.LogSource;
import io.vigil.logs.wire.ShippedSlowQuery;
import io.vigil.logs.wire.StatementDigestDelta;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a {@link LogBatch} into documents: one per slow query, error event and digest, each in the daily
 * index of its own time. Error-log times carry no zone; they are taken as UTC, which is what MySQL 5.7+
 * writes by default ({@code log_timestamps=UTC}).
 */
public final class LogDocuments {

    private final IndexNames names;

    public LogDocuments(IndexNames names) {
        this.names = names;
    }

    /**
     * @param documents what to index
     * @param unplaced  events that cannot be indexed (no time to choose a daily index by), described for the log
     */
    public record Converted(List<LogDocument> documents, List<String> unplaced) {
    }

    public Converted of(LogBatch batch) {
        var docs = new ArrayList<LogDocument>(batch.size());
        var unplaced = new ArrayList<String>();
        LogSource source = batch.source();
        for (ShippedSlowQuery slow : batch.slow()) {
            SlowLogEntry e = slow.entry();
            String origin = origin(batch, e.offset());
            if (e.time() == null) {
                unplaced.add(origin + ": slow query without a time");
                continue;
            }
            var doc = common(source, batch.fileId(), e.time(), e.offset());
            doc.put(FINGERPRINT, slow.fingerprint());
            doc.put(QUERY_ID, slow.queryId());
            doc.put(QUERY, e.query());
            doc.put(QUERY_BYTES, slow.queryBytes());
            doc.put(TRUNCATED, slow.truncated());
            putIfPresent(doc, USER, e.user());
            putIfPresent(doc, CLIENT_HOST, e.host());
            putIfPresent(doc, CLIENT_IP, e.ip());
            putIfPresent(doc, SCHEMA, e.schema());
            putIfKnown(doc, THREAD_ID, e.threadId());
            doc.put(QUERY_TIME, e.queryTime());
            doc.put(LOCK_TIME, e.lockTime());
            putIfKnown(doc, ROWS_SENT, e.rowsSent());
            putIfKnown(doc, ROWS_EXAMINED, e.rowsExamined());
            putIfKnown(doc, ROWS_AFFECTED, e.rowsAffected());
            putIfKnown(doc, BYTES_SENT, e.bytesSent());
            if (!e.attributes().isEmpty()) {
                doc.put(ATTRIBUTES, e.attributes());
            }
            docs.add(new LogDocument(names.daily(LogIndex.SLOW, e.time()),
                    DocumentIds.fileEvent(LogIndex.SLOW, source.key(), batch.fileId(), e.offset()), doc, origin));
        }
        for (ErrorLogEvent e : batch.errors()) {
            Instant time = e.time().toInstant(ZoneOffset.UTC);
            var doc = common(source, batch.fileId(), time, e.offset());
            doc.put(SEVERITY, e.severity().toLowerCase(Locale.ROOT));
            putIfPresent(doc, CODE, e.code());
            putIfPresent(doc, SUBSYSTEM, e.subsystem());
            doc.put(KIND, e.kind() == null ? ErrorLogEvent.Kind.MESSAGE.name().toLowerCase(Locale.ROOT)
                    : e.kind().name().toLowerCase(Locale.ROOT));
            putIfKnown(doc, THREAD, e.thread());
            doc.put(MESSAGE, e.message());
            docs.add(new LogDocument(names.daily(LogIndex.ERRORS, time),
                    DocumentIds.fileEvent(LogIndex.ERRORS, source.key(), batch.fileId(), e.offset()), doc,
                    origin(batch, e.offset())));
        }
        for (StatementDigestDelta d : batch.digests()) {
            var doc = common(source, batch.fileId(), d.to(), -1);
            doc.remove(OFFSET);
            doc.put(SCHEMA, d.schema());
            doc.put(DIGEST, d.digest());
            doc.put(DIGEST_TEXT, d.digestText());
            doc.put(FINGERPRINT, d.fingerprint());
            doc.put(QUERY_ID, d.queryId());
            doc.put(FROM, d.from().toString());
            doc.put(TO, d.to().toString());
            doc.put(COUNT, d.count());
            doc.put(TOTAL_SECONDS, d.totalSeconds());
            doc.put(MAX_SECONDS, d.maxSeconds());
            doc.put(LOCK_SECONDS, d.lockSeconds());
            doc.put(ROWS_SENT, d.rowsSent());
            doc.put(ROWS_EXAMINED, d.rowsExamined());
            doc.put(ROWS_AFFECTED, d.rowsAffected());
            doc.put(ERRORS, d.errors());
            doc.put(WARNINGS, d.warnings());
            doc.put(NO_INDEX_USED, d.noIndexUsed());
            docs.add(new LogDocument(names.daily(LogIndex.DIGESTS, d.to()),
                    DocumentIds.digest(source.key(), d.schema(), d.digest(), d.to()), doc,
                    source.key() + " digest " + d.digest() + " at " + d.to()));
        }
        return new Converted(docs, unplaced);
    }

    private static Map<String, Object> common(LogSource source, String fileId, Instant time, long offset) {
        var doc = new HashMap<String, Object>();
        doc.put(TIMESTAMP, time.toString());
        doc.put(HOST, source.host());
        putIfPresent(doc, CLUSTER, source.cluster());
        doc.put(INSTANCE, source.instance());
        doc.put(PATH, source.path());
        putIfPresent(doc, FILE_ID, fileId);
        doc.put(OFFSET, offset);
        return doc;
    }

    private static String origin(LogBatch batch, long offset) {
        return batch.source().key() + " " + (batch.fileId().isEmpty() ? "" : batch.fileId()) + "@" + offset;
    }

    private static void putIfPresent(Map<String, Object> doc, String field, String value) {
        if (value != null && !value.isEmpty()) {
            doc.put(field, value);
        }
    }

    /** The parsers write -1 for a number the log format does not have: absent, not a real -1. */
    private static void putIfKnown(Map<String, Object> doc, String field, long value) {
        if (value >= 0) {
            doc.put(field, value);
        }
    }
}
