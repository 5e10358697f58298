package io.vigil.logs.index;

import static io.vigil.logs.index.Fields.*;

import com.fasterxml.jackson.core.SerializableString;
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

    private Converted of(LogBatch batch, DocumentWriter doc) throws IOException {
        var docs = new ArrayList<LogDocument>(batch.size());
        var unplaced = new ArrayList<String>();
        LogSource source = batch.source();
        var where = new Where(source, batch.fileId());
        for (ShippedSlowQuery slow : batch.slow()) {
            SlowLogEntry e = slow.entry();
            String origin = origin(batch, e.offset());
            if (e.time() == null) {
                unplaced.add(origin + ": slow query without a time");
                continue;
            }
            doc.start();
            where.write(doc, e.time());
            doc.number(OFFSET, e.offset());
            doc.string(FINGERPRINT, slow.fingerprint());
            doc.string(QUERY_ID, slow.queryId());
            doc.string(QUERY, e.query());
            doc.number(QUERY_BYTES, slow.queryBytes());
            doc.bool(TRUNCATED, slow.truncated());
            doc.stringIfPresent(USER, e.user());
            doc.stringIfPresent(CLIENT_HOST, e.host());
            doc.stringIfPresent(CLIENT_IP, e.ip());
            doc.stringIfPresent(SCHEMA, e.schema());
            doc.numberIfKnown(THREAD_ID, e.threadId());
            doc.number(QUERY_TIME, e.queryTime());
            doc.number(LOCK_TIME, e.lockTime());
            doc.numberIfKnown(ROWS_SENT, e.rowsSent());
            doc.numberIfKnown(ROWS_EXAMINED, e.rowsExamined());
            doc.numberIfKnown(ROWS_AFFECTED, e.rowsAffected());
            doc.numberIfKnown(BYTES_SENT, e.bytesSent());
            if (!e.attributes().isEmpty()) {
                doc.strings(ATTRIBUTES, e.attributes());
            }
            docs.add(new LogDocument(names.daily(LogIndex.SLOW, e.time()),
                    DocumentIds.fileEvent(LogIndex.SLOW, source.key(), batch.fileId(), e.offset()), doc.end(), origin));
        }
        for (ErrorLogEvent e : batch.errors()) {
            Instant time = e.time().toInstant(ZoneOffset.UTC);
            doc.start();
            where.write(doc, time);
            doc.number(OFFSET, e.offset());
            doc.string(SEVERITY, e.severity().toLowerCase(Locale.ROOT));
            doc.stringIfPresent(CODE, e.code());
            doc.stringIfPresent(SUBSYSTEM, e.subsystem());
            doc.string(KIND, e.kind() == null ? ErrorLogEvent.Kind.MESSAGE.name().toLowerCase(Locale.ROOT)
                    : e.kind().name().toLowerCase(Locale.ROOT));
            doc.numberIfKnown(THREAD, e.thread());
            doc.string(MESSAGE, e.message());
            docs.add(new LogDocument(names.daily(LogIndex.ERRORS, time),
                    DocumentIds.fileEvent(LogIndex.ERRORS, source.key(), batch.fileId(), e.offset()), doc.end(),
                    origin(batch, e.offset())));
        }
        for (StatementDigestDelta d : batch.digests()) {
            doc.start();
            where.write(doc, d.to()); // no offset: a digest is not read from a file
            doc.string(SCHEMA, d.schema());
            doc.string(DIGEST, d.digest());
            doc.string(DIGEST_TEXT, d.digestText());
            doc.string(FINGERPRINT, d.fingerprint());
            doc.string(QUERY_ID, d.queryId());
            doc.string(FROM, d.from().toString());
            doc.string(TO, d.to().toString());
            doc.number(COUNT, d.count());
            doc.number(TOTAL_SECONDS, d.totalSeconds());
            doc.number(MAX_SECONDS, d.maxSeconds());
            doc.number(LOCK_SECONDS, d.lockSeconds());
            doc.number(ROWS_SENT, d.rowsSent());
            doc.number(ROWS_EXAMINED, d.rowsExamined());
            doc.number(ROWS_AFFECTED, d.rowsAffected());
            doc.number(ERRORS, d.errors());
            doc.number(WARNINGS, d.warnings());
            doc.number(NO_INDEX_USED, d.noIndexUsed());
            docs.add(new LogDocument(names.daily(LogIndex.DIGESTS, d.to()),
                    DocumentIds.digest(source.key(), d.schema(), d.digest(), d.to()), doc.end(),
                    source.key() + " digest " + d.digest() + " at " + d.to()));
        }
        return new Converted(docs, unplaced);
    }

    /** Where the events of a batch were read: the fields every document of it has, encoded once for all of them. */
    private static final class Where {
        private final SerializableString host;
        private final SerializableString cluster;
        private final SerializableString instance;
        private final SerializableString path;
        private final SerializableString fileId;

        Where(LogSource source, String fileId) {
            this.host = DocumentWriter.shared(source.host());
            this.cluster = source.cluster().isEmpty() ? null : DocumentWriter.shared(source.cluster());
            this.instance = DocumentWriter.shared(source.instance());
            this.path = DocumentWriter.shared(source.path());
            this.fileId = fileId == null || fileId.isEmpty() ? null : DocumentWriter.shared(fileId);
        }

        /** The event's time, then where it was read. */
        void write(DocumentWriter doc, Instant time) throws IOException {
            doc.string(TIMESTAMP, time.toString());
            doc.string(HOST, host);
            if (cluster != null) {
                doc.string(CLUSTER, cluster);
            }
            doc.string(INSTANCE, instance);
            doc.string(PATH, path);
            if (fileId != null) {
                doc.string(FILE_ID, fileId);
            }
        }
    }

    private static String origin(LogBatch batch, long offset) {
        return batch.source().key() + " " + (batch.fileId().isEmpty() ? "" : batch.fileId()) + "@" + offset;
    }
}
