package io.vigil.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One state change of one alert, as published on {@code vigil.alerts} (keyed by fingerprint) and
 * kept in the alert history.
 *
 * @param eventId      unique and increasing per change; a consumer that sees an id twice has seen a redelivery
 * @param fingerprint  the alert's identity: rule name and identifying labels, hashed
 * @param previous     the state before the change, null for a new alert
 * @param labels       identifying labels (the series' labels without {@code __name__}) plus the rule's labels and {@code alertname}
 * @param value        the watched value at the change, null when there was none (no data)
 * @param activeAt     when the condition first held (the start of the incident)
 * @param firedAt      when it started firing, null if it never did
 * @param resolvedAt   when it resolved, null while it has not
 * @param query        a PromQL query that shows the alert's series, for a graph link
 */
public record AlertEvent(long eventId, String fingerprint, String rule, AlertState state, AlertState previous,
                         Severity severity, Map<String, String> labels, Map<String, String> annotations, Double value,
                         Instant activeAt, Instant firedAt, Instant resolvedAt, Instant at, String query) {

    public AlertEvent {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(at, "at");
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}
