package io.vigil.logs.index;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import co.elastic.clients.util.NoCopyByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The NDJSON body of a bulk request: for every document a {@code create} action naming its index and id, then its
 * source as it was written once ({@link LogDocument#source()}), copied in as bytes.
 */
public final class BulkBody {

    /** No separator between root values: the newlines are written here. */
    private static final JsonFactory JSON = new JsonFactoryBuilder().rootValueSeparator((String) null).build();
    /** {@code {"create":{"_index":"","_id":""}}} and two newlines: what a document adds besides its index, id and source. */
    private static final int FRAME_BYTES = 35;

    private BulkBody() {
    }

    /** What the document adds to a body, in bytes (exact for the index names and ids Vigil makes, which need no escaping). */
    public static long bytes(LogDocument d) {
        return FRAME_BYTES + d.index().length() + d.id().length() + d.source().length;
    }

    /** The body for these documents, in order; {@code array()} up to {@code size()}. */
    public static NoCopyByteArrayOutputStream of(List<LogDocument> documents) {
        long bytes = 0;
        for (LogDocument d : documents) {
            bytes += bytes(d);
        }
        var out = new NoCopyByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, bytes + 64));
        try (JsonGenerator action = JSON.createGenerator(out)) {
            for (LogDocument d : documents) {
                action.writeStartObject();
                action.writeObjectFieldStart("create");
                action.writeStringField("_index", d.index());
                action.writeStringField("_id", d.id());
                action.writeEndObject();
                action.writeEndObject();
                action.flush();
                out.write('\n');
                out.write(d.source());
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing a bulk request in memory", e); // an array output does not fail
        }
        return out;
    }
}
