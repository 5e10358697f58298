package io.vigil.rules;

import io.vigil.model.AlertState;
import io.vigil.model.Labels;
import io.vigil.model.Severity;

import java.util.Map;

/**
 * An alert as of one change: what is stored, published and shown. Times in epoch milliseconds,
 * {@code 0} for "not yet"; {@code value} null when there was no data.
 *
 * @param identity  the watched series' labels without the metric name; the fingerprint hashes it with the rule
 * @param labels    identity + the rule's labels + {@code alertname} and {@code severity}
 * @param previous  the state before this change, null for a new alert
 * @param lastSeenMillis the last evaluation that had data for it
 */
public record AlertSnapshot(String fingerprint, String rule, Labels identity, Labels labels, AlertState state,
                            AlertState previous, Severity severity, Double value, Map<String, String> annotations,
                            long activeAtMillis, long firedAtMillis, long resolvedAtMillis, long recoveringSinceMillis,
                            long lastSeenMillis, long atMillis, String query) {

    public AlertSnapshot {
        annotations = Map.copyOf(annotations);
    }
}
