package io.vigil.notifier;

import io.vigil.model.Labels;

import java.util.List;
import java.util.Objects;

/**
 * Alerts that are notified together; {@code groupKey} identifies the group across notifications.
 * {@code ack} is set on escalation pages: how the person paged acknowledges (null otherwise).
 */
public record AlertGroup(String groupKey, Labels labels, List<Alert> alerts, Ack ack) {

    /** The escalation a page belongs to and its signed acknowledgement link. */
    public record Ack(long escalationId, String url) {

        public Ack {
            Objects.requireNonNull(url, "url");
        }
    }

    public AlertGroup(String groupKey, Labels labels, List<Alert> alerts) {
        this(groupKey, labels, alerts, null);
    }

    public AlertGroup withAck(Ack ack) {
        return new AlertGroup(groupKey, labels, alerts, ack);
    }

    public AlertGroup {
        Objects.requireNonNull(groupKey, "groupKey");
        Objects.requireNonNull(labels, "labels");
        alerts = List.copyOf(alerts);
        if (alerts.isEmpty()) {
            throw new IllegalArgumentException("alert group " + groupKey + " has no alerts");
        }
    }

    /** Severe as soon as one firing alert is severe: a resolved severe alert does not page. */
    public Severity severity() {
        return alerts.stream().anyMatch(a -> a.status() == AlertStatus.FIRING && a.severity() == Severity.SEVERE)
                ? Severity.SEVERE : Severity.NORMAL;
    }

    /** Firing while any alert fires; resolved only when all are. */
    public AlertStatus status() {
        return firing().isEmpty() ? AlertStatus.RESOLVED : AlertStatus.FIRING;
    }

    public List<Alert> firing() {
        return alerts.stream().filter(a -> a.status() == AlertStatus.FIRING).toList();
    }

    public List<Alert> resolved() {
        return alerts.stream().filter(a -> a.status() == AlertStatus.RESOLVED).toList();
    }
}
