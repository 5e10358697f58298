package io.vigil.logs.search;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What ranks query classes: their total query time, how often they ran, their mean or 95th percentile. */
public enum Ranking {
    SUM, COUNT, AVG, P95;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Ranking parse(String text) {
        for (Ranking r : values()) {
            if (r.id().equalsIgnoreCase(text.strip())) {
                return r;
            }
        }
        throw new IllegalArgumentException("order by " + Arrays.stream(values()).map(Ranking::id).collect(Collectors.joining(", "))
                + "; got \"" + text + "\"");
    }
}
