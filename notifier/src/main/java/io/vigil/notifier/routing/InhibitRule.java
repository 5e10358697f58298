package io.vigil.notifier.routing;

import io.vigil.model.LabelMatcher;
import io.vigil.model.Labels;

import java.util.List;
import java.util.Objects;

/**
 * While an alert matching {@code source} fires, alerts matching {@code target} that carry the same
 * values of the {@code equal} labels are not notified (they are still recorded). An alert never
 * inhibits itself. {@code requireEqual}: the source must carry at least one of the {@code equal}
 * labels, so a fleet-wide source (no cluster, no instance) does not mute the whole fleet.
 */
public record InhibitRule(String name, List<LabelMatcher> source, List<LabelMatcher> target, List<String> equal,
                          boolean requireEqual) {

    public InhibitRule {
        Objects.requireNonNull(name, "name");
        source = List.copyOf(source);
        target = List.copyOf(target);
        equal = List.copyOf(equal);
    }

    public boolean isSource(Labels labels) {
        if (!Matchers.matchAll(source, labels)) {
            return false;
        }
        if (!requireEqual) {
            return true;
        }
        for (String name : equal) {
            if (labels.get(name) != null) {
                return true;
            }
        }
        return false;
    }

    public boolean isTarget(Labels labels) {
        return Matchers.matchAll(target, labels);
    }

    public boolean sameThing(Labels source, Labels target) {
        for (String name : equal) {
            if (!Objects.equals(source.get(name), target.get(name))) {
                return false;
            }
        }
        return true;
    }
}
