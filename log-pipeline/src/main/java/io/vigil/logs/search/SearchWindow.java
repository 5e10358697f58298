package io.vigil.logs.search;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A half-open time range {@code [from, to)} of a search. */
public record SearchWindow(Instant from, Instant to) {

    public SearchWindow {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from (" + from + ") must be before to (" + to + ")");
        }
    }

    /** {@code [time - half, time + half)}: around a moment. */
    public static SearchWindow around(Instant time, Duration half) {
        return new SearchWindow(time.minus(half), time.plus(half));
    }

    public Duration length() {
        return Duration.between(from, to);
    }
}
