package io.vigil.logs.search;

import java.util.List;
import java.util.Optional;

/**
 * An error-log search.
 *
 * @param severities any of these (lower case: note, warning, error, system); empty for all
 * @param text       words that must all occur in the message (a match query: never query syntax)
 */
public record ErrorQuery(SearchWindow window, List<String> severities, Optional<String> code, Optional<String> text,
                         Optional<String> cluster, Optional<String> instance, int limit) {

    public ErrorQuery {
        severities = List.copyOf(severities);
        code = code.filter(s -> !s.isBlank());
        text = text.filter(s -> !s.isBlank());
        cluster = cluster.filter(s -> !s.isBlank());
        instance = instance.filter(s -> !s.isBlank());
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
    }
}
