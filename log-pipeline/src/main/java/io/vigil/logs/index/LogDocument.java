package io.vigil.logs.index;

import java.util.Map;
import java.util.Objects;

/**
 * One document to index.
 *
 * @param index  the daily index it belongs to
 * @param id     derived from where the event was read, so that indexing it again never makes a second copy
 * @param source the document's fields (strings, numbers, booleans, maps)
 * @param origin where the event was read ({@code host:path fileId@offset}), for messages about this document
 */
public record LogDocument(String index, String id, Map<String, Object> source, String origin) {

    public LogDocument {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(origin, "origin");
        source = Map.copyOf(source);
    }
}
