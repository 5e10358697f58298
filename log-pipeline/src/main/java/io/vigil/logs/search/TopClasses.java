package io.vigil.logs.search;

import java.util.List;

/** The answer of {@link SlowLogSearch#top}: the ranked classes and the window's totals. */
public record TopClasses(SearchWindow window, Ranking rankedBy, long totalCount, double totalSeconds, List<QueryClass> classes) {

    public TopClasses {
        classes = List.copyOf(classes);
    }
}
