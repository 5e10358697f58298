package io.vigil.logs.index;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes documents one after the other with one Jackson generator, handing out each one's JSON as its own array.
 * Straight from the decoded batch to the bytes Elasticsearch gets: the fields go through no map, no serialiser
 * lookup and no JSON-P layer. Field names, and the values a whole batch shares ({@link #shared}), are quoted and
 * encoded once, not for every document. Not thread-safe; one per batch.
 */
final class DocumentWriter implements AutoCloseable {

    /** No separator between root values: every document is cut out on its own. */
    private static final JsonFactory JSON = new JsonFactoryBuilder().rootValueSeparator((String) null).build();
    /** The field names of {@link Fields}, encoded once. */
    private static final ConcurrentHashMap<String, SerializedString> NAMES = new ConcurrentHashMap<>();

    private final ByteArrayBuilder out = new ByteArrayBuilder(4096);
    private final JsonGenerator generator;

    DocumentWriter() {
        try {
            generator = JSON.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A value every document of the batch has, to be encoded once. */
    static SerializableString shared(String value) {
        return new SerializedString(value);
    }

    /** Starts the next document. */
    void start() throws IOException {
        generator.writeStartObject();
    }

    /** Ends the document begun by {@link #start()}: its JSON. */
    byte[] end() throws IOException {
        generator.writeEndObject();
        generator.flush();
        byte[] json = out.toByteArray();
        out.reset();
        return json;
    }

    void string(String field, String value) throws IOException {
        name(field);
        generator.writeString(value);
    }

    void string(String field, SerializableString value) throws IOException {
        name(field);
        generator.writeString(value);
    }

    /** Leaves out null and empty strings. */
    void stringIfPresent(String field, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            string(field, value);
        }
    }

    void number(String field, long value) throws IOException {
        name(field);
        generator.writeNumber(value);
    }

    void number(String field, double value) throws IOException {
        name(field);
        generator.writeNumber(value);
    }

    /** The parsers write -1 for a number the log format does not have: absent, not a real -1. */
    void numberIfKnown(String field, long value) throws IOException {
        if (value >= 0) {
            number(field, value);
        }
    }

    void bool(String field, boolean value) throws IOException {
        name(field);
        generator.writeBoolean(value);
    }

    /** An object of string values, whatever their names (not field names of Vigil's: not cached). */
    void strings(String field, java.util.Map<String, String> values) throws IOException {
        name(field);
        generator.writeStartObject();
        for (var e : values.entrySet()) {
            generator.writeStringField(e.getKey(), e.getValue());
        }
        generator.writeEndObject();
    }

    private void name(String field) throws IOException {
        generator.writeFieldName(NAMES.computeIfAbsent(field, SerializedString::new));
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
