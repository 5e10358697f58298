package io.vigil.logs.search;

import java.util.List;

/** The newest matching error events, and how many matched in all. */
public record ErrorEvents(long total, List<ErrorEvent> events) {

    public ErrorEvents {
        events = List.copyOf(events);
    }
}
