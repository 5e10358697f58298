package io.vigil.logs.index;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes documents one after the other with one Jackson generator, handing out each one's JSON as its own array.
 * Straight from the decoded batch to the bytes Elasticsearch gets: the fields go through no map, no serialiser
 * lookup and no JSON-P layer. Not thread-safe; one per batch.
 */
final class DocumentWriter implements AutoCloseable {

    /** No separator between root values: every document is cut out on its own. */
    private static final JsonFactory JSON = new JsonFactoryBuilder().rootValueSeparator((String) null).build();

    private final ByteArrayBuilder out = new ByteArrayBuilder(4096);
    private final JsonGenerator generator;

    DocumentWriter() {
        try {
            generator = JSON.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the next document: its fields follow on the returned generator. */
    JsonGenerator start() throws IOException {
        generator.writeStartObject();
        return generator;
    }

    /** Ends the document begun by {@link #start()}: its JSON. */
    byte[] end() throws IOException {
        generator.writeEndObject();
        generator.flush();
        byte[] json = out.toByteArray();
        out.reset();
        return json;
    }

    @Override
    public void close() {
        try {
            generator.close();
        } catch (IOException e) {
            // In memory: nothing to lose.
        }
        out.release();
    }
}
