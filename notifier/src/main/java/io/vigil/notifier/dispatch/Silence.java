package io.vigil.notifier.dispatch;

import io.vigil.model.LabelMatcher;
import io.vigil.model.Labels;
import io.vigil.notifier.routing.Matchers;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Mutes the alerts its matchers select between {@code startsAt} and {@code endsAt}. A muted alert is
 * still received, stored and listed; only its notifications are held back.
 */
public record Silence(UUID id, List<LabelMatcher> matchers, Instant startsAt, Instant endsAt, String createdBy,
                      String comment, Instant createdAt, Instant updatedAt) {

    public enum State {
        PENDING, ACTIVE, EXPIRED
    }

    public Silence {
        Objects.requireNonNull(id, "id");
        matchers = List.copyOf(matchers);
        Objects.requireNonNull(startsAt, "startsAt");
        Objects.requireNonNull(endsAt, "endsAt");
    }

    public State state(Instant now) {
        if (!now.isBefore(endsAt)) {
            return State.EXPIRED;
        }
        return now.isBefore(startsAt) ? State.PENDING : State.ACTIVE;
    }

    public boolean mutes(Labels labels, Instant now) {
        return state(now) == State.ACTIVE && Matchers.matchAll(matchers, labels);
    }
}
