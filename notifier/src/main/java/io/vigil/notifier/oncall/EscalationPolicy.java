package io.vigil.notifier.oncall;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Who is paged, in order, until someone acknowledges: level 0 at once, each next level when the
 * previous one has gone {@code escalateAfter} without an acknowledgement; after the last level the
 * policy starts over, {@code repeat} more times.
 *
 * @param levels each names receivers or {@code schedule:<name>} (whoever is on call when paged)
 */
public record EscalationPolicy(String name, List<Level> levels, int repeat) {

    public record Level(List<String> targets, Duration escalateAfter) {

        public Level {
            targets = List.copyOf(targets);
        }
    }

    public static final String SCHEDULE_PREFIX = "schedule:";

    public EscalationPolicy {
        Objects.requireNonNull(name, "name");
        levels = List.copyOf(levels);
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("escalation policy " + name + " has no levels");
        }
    }
}
