package io.vigil.notifier;

import io.vigil.model.Labels;

import java.time.Instant;
import java.util.Objects;

/**
 * One alert of a group. {@code endsAt} and {@code graphUrl} may be null (still firing; no graph).
 * Every text field may come from a scraped label or a rule's template, so renderers treat them as untrusted.
 */
public record Alert(Labels labels, AlertStatus status, Severity severity, String summary, String description,
                    Instant startsAt, Instant endsAt, String graphUrl) {

    public Alert {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(startsAt, "startsAt");
        summary = summary == null ? "" : summary;
        description = description == null ? "" : description;
    }

    /** The {@code alertname} label, or "alert" when a rule forgot it. */
    public String name() {
        String n = labels.get("alertname");
        return n == null ? "alert" : n;
    }
}
