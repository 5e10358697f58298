package io.vigil.logs.index;

import static io.vigil.logs.index.Fields.*;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.logs.errorlog.ErrorLogEvent;
import io.vigil.logs.slowlog.SlowLogEntry;
import io.vigil.logs.wire.LogBatch;
import io.vigil.logs.wire.LogSource;
import io.vigil.logs.wire.ShippedSlowQuery;
import io.vigil.logs.wire.StatementDigestDelta;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a {@link LogBatch} into documents: one per slow query, error event and digest, each in the daily
 * index of its own time, its JSON written here once ({@link DocumentWriter}). Error-log times carry no zone; they are taken as UTC, which is what MySQL 5.7+
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
        try (var json = new DocumentWriter()) {
            return of(batch, json);
        } catch (IOException e) {
            throw new UncheckedIOException("writing documents in memory", e); // a generator over an array does not fail
        }
    }

    private Converted of(LogBatch batch, DocumentWriter json) throws IOException {
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
            JsonGenerator doc = json.start();
            common(doc, source, batch.fileId(), e.time());
            doc.writeNumberField(OFFSET, e.offset());
            doc.writeStringField(FINGERPRINT, slow.fingerprint());
            doc.writeStringField(QUERY_ID, slow.queryId());
            doc.writeStringField(QUERY, e.query());
            doc.writeNumberField(QUERY_BYTES, slow.queryBytes());
            doc.writeBooleanField(TRUNCATED, slow.truncated());
            putIfPresent(doc, USER, e.user());
            putIfPresent(doc, CLIENT_HOST, e.host());
            putIfPresent(doc, CLIENT_IP, e.ip());
            putIfPresent(doc, SCHEMA, e.schema());
            putIfKnown(doc, THREAD_ID, e.threadId());
            doc.writeNumberField(QUERY_TIME, e.queryTime());
            doc.writeNumberField(LOCK_TIME, e.lockTime());
            putIfKnown(doc, ROWS_SENT, e.rowsSent());
            putIfKnown(doc, ROWS_EXAMINED, e.rowsExamined());
            putIfKnown(doc, ROWS_AFFECTED, e.rowsAffected());
            putIfKnown(doc, BYTES_SENT, e.bytesSent());
            if (!e.attributes().isEmpty()) {
                doc.writeObjectFieldStart(ATTRIBUTES);
                for (Map.Entry<String, String> a : e.attributes().entrySet()) {
                    doc.writeStringField(a.getKey(), a.getValue());
                }
                doc.writeEndObject();
            }
            docs.add(new LogDocument(names.daily(LogIndex.SLOW, e.time()),
                    DocumentIds.fileEvent(LogIndex.SLOW, source.key(), batch.fileId(), e.offset()), json.end(), origin));
        }
        for (ErrorLogEvent e : batch.errors()) {
            Instant time = e.time().toInstant(ZoneOffset.UTC);
            JsonGenerator doc = json.start();
            common(doc, source, batch.fileId(), time);
            doc.writeNumberField(OFFSET, e.offset());
            doc.writeStringField(SEVERITY, e.severity().toLowerCase(Locale.ROOT));
            putIfPresent(doc, CODE, e.code());
            putIfPresent(doc, SUBSYSTEM, e.subsystem());
            doc.writeStringField(KIND, e.kind() == null ? ErrorLogEvent.Kind.MESSAGE.name().toLowerCase(Locale.ROOT)
                    : e.kind().name().toLowerCase(Locale.ROOT));
            putIfKnown(doc, THREAD, e.thread());
            doc.writeStringField(MESSAGE, e.message());
            docs.add(new LogDocument(names.daily(LogIndex.ERRORS, time),
                    DocumentIds.fileEvent(LogIndex.ERRORS, source.key(), batch.fileId(), e.offset()), json.end(),
                    origin(batch, e.offset())));
        }
        for (StatementDigestDelta d : batch.digests()) {
            JsonGenerator doc = json.start();
            common(doc, source, batch.fileId(), d.to()); // no offset: a digest is not read from a file
            doc.writeStringField(SCHEMA, d.schema());
            doc.writeStringField(DIGEST, d.digest());
            doc.writeStringField(DIGEST_TEXT, d.digestText());
            doc.writeStringField(FINGERPRINT, d.fingerprint());
            doc.writeStringField(QUERY_ID, d.queryId());
            doc.writeStringField(FROM, d.from().toString());
            doc.writeStringField(TO, d.to().toString());
            doc.writeNumberField(COUNT, d.count());
            doc.writeNumberField(TOTAL_SECONDS, d.totalSeconds());
            doc.writeNumberField(MAX_SECONDS, d.maxSeconds());
            doc.writeNumberField(LOCK_SECONDS, d.lockSeconds());
            doc.writeNumberField(ROWS_SENT, d.rowsSent());
            doc.writeNumberField(ROWS_EXAMINED, d.rowsExamined());
            doc.writeNumberField(ROWS_AFFECTED, d.rowsAffected());
            doc.writeNumberField(ERRORS, d.errors());
            doc.writeNumberField(WARNINGS, d.warnings());
            doc.writeNumberField(NO_INDEX_USED, d.noIndexUsed());
            docs.add(new LogDocument(names.daily(LogIndex.DIGESTS, d.to()),
                    DocumentIds.digest(source.key(), d.schema(), d.digest(), d.to()), json.end(),
                    source.key() + " digest " + d.digest() + " at " + d.to()));
        }
        return new Converted(docs, unplaced);
    }

    /** Where the event was read, and when: the fields every kind of document has. */
    private static void common(JsonGenerator doc, LogSource source, String fileId, Instant time) throws IOException {
        doc.writeStringField(TIMESTAMP, time.toString());
        doc.writeStringField(HOST, source.host());
        putIfPresent(doc, CLUSTER, source.cluster());
        doc.writeStringField(INSTANCE, source.instance());
        doc.writeStringField(PATH, source.path());
        putIfPresent(doc, FILE_ID, fileId);
    }

    private static String origin(LogBatch batch, long offset) {
        return batch.source().key() + " " + (batch.fileId().isEmpty() ? "" : batch.fileId()) + "@" + offset;
    }

    private static void putIfPresent(JsonGenerator doc, String field, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            doc.writeStringField(field, value);
        }
    }

    /** The parsers write -1 for a number the log format does not have: absent, not a real -1. */
    private static void putIfKnown(JsonGenerator doc, String field, long value) throws IOException {
        if (value >= 0) {
            doc.writeNumberField(field, value);
        }
    }
}
