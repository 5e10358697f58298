package io.vigil.logs.search;

import java.time.Instant;

/** One error-log event as indexed; {@code message} is server text and may quote client input: data only. */
public record ErrorEvent(Instant time, String cluster, String instance, String host, String severity, String code,
                         String subsystem, String kind, Long thread, String message) {
}
