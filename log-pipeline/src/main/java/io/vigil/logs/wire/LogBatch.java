package io.vigil.logs.wire;

import io.vigil.logs.errorlog.ErrorLogEvent;
import io.vigil.logs.slowlog.ParseError;
import java.util.List;
import java.util.Objects;

/**
 * One record of {@code vigil.logs}: the events the shipper read from one source in one go. Events carry the
 * byte offset of their first line, so {@code source.key() + fileId + offset} names each one for good; the
 * indexer derives document ids from it, and a redelivered batch overwrites rather than duplicates.
 *
 * @param source      where the events were read
 * @param fileId      identity of the file that was read ({@code <device>:<inode>}), so that offsets of a
 *                    rotated file and of its successor never collide; empty for {@link LogKind#DIGEST}
 * @param startOffset where reading began in that file
 * @param endOffset   where it ended: the checkpoint the shipper stores once Kafka has the batch
 * @param slow        slow-log entries ({@link LogKind#SLOW})
 * @param errors      error-log events ({@link LogKind#ERROR})
 * @param digests     statement digests ({@link LogKind#DIGEST})
 * @param parseErrors entries that could not be read, with their offsets; counted by the pipeline
 */
public record LogBatch(LogSource source, String fileId, long startOffset, long endOffset,
                       List<ShippedSlowQuery> slow, List<ErrorLogEvent> errors, List<StatementDigestDelta> digests,
                       List<ParseError> parseErrors) {

    public LogBatch {
        Objects.requireNonNull(source, "source");
        fileId = fileId == null ? "" : fileId;
        slow = slow == null ? List.of() : List.copyOf(slow);
        errors = errors == null ? List.of() : List.copyOf(errors);
        digests = digests == null ? List.of() : List.copyOf(digests);
        parseErrors = parseErrors == null ? List.of() : List.copyOf(parseErrors);
    }

    public int size() {
        return slow.size() + errors.size() + digests.size();
    }
}
