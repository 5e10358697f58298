package io.vigil.logs.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * One document to index. Its source is JSON, written once when the document is made ({@link LogDocuments}) and
 * sent as it is in every bulk request that carries it: no map of fields in between, no second serialisation.
 *
 * @param index  the daily index it belongs to
 * @param id     derived from where the event was read, so that indexing it again never makes a second copy
 * @param source the document as UTF-8 JSON, one object; never changed once made
 * @param origin where the event was read ({@code host:path fileId@offset}), for messages about this document
 */
public record LogDocument(String index, String id, byte[] source, String origin) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public LogDocument {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(origin, "origin");
    }

    /** A document given as its fields (strings, numbers, booleans, maps, lists). */
    public LogDocument(String index, String id, Map<String, ?> fields, String origin) {
        this(index, id, json(fields), origin);
    }

    /** The source as text, for messages. */
    public String sourceText() {
        return new String(source, StandardCharsets.UTF_8);
    }

    private static byte[] json(Map<String, ?> fields) {
        try {
            return JSON.writeValueAsBytes(Objects.requireNonNull(fields, "source"));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a document's fields must be JSON values: " + e.getMessage(), e);
        }
    }
}
