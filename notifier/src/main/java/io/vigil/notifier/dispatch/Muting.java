package io.vigil.notifier.dispatch;

import io.vigil.model.Labels;
import io.vigil.notifier.routing.InhibitRule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, for one flush, whether an active alert is muted and by what: a silence, or an inhibition
 * by another active alert. Sources are indexed by their {@code equal} label values, so a storm of
 * thousands of alerts costs a map lookup per alert and rule, not a scan of every pair.
 */
final class Muting {

    /** An active alert: its fingerprint and the labels routes see. */
    record ActiveAlert(String fingerprint, Labels labels) {
    }

    private final List<Silence> silences;
    private final Instant now;
    private final List<InhibitRule> rules;
    /** Per rule: equal-label values of its sources → the fingerprints of those sources. */
    private final List<Map<List<String>, List<String>>> sources = new ArrayList<>();

    Muting(List<Silence> silences, List<InhibitRule> rules, List<ActiveAlert> active, Instant now) {
        this.silences = silences;
        this.rules = rules;
        this.now = now;
        for (InhibitRule rule : rules) {
            var index = new HashMap<List<String>, List<String>>();
            for (ActiveAlert a : active) {
                if (rule.isSource(a.labels())) {
                    index.computeIfAbsent(key(rule, a.labels()), k -> new ArrayList<>()).add(a.fingerprint());
                }
            }
            sources.add(index);
        }
    }

    /** Why the alert is muted ("silence <id>", "inhibited by <rule>"), or empty when it is not. */
    Optional<String> reason(String fingerprint, Labels labels) {
        for (Silence s : silences) {
            if (s.mutes(labels, now)) {
                return Optional.of("silence " + s.id());
            }
        }
        for (int i = 0; i < rules.size(); i++) {
            InhibitRule rule = rules.get(i);
            if (!rule.isTarget(labels)) {
                continue;
            }
            List<String> from = sources.get(i).get(key(rule, labels));
            // An alert never inhibits itself.
            if (from != null && (from.size() > 1 || !from.getFirst().equals(fingerprint))) {
                return Optional.of("inhibited by " + rule.name());
            }
        }
        return Optional.empty();
    }

    private static List<String> key(InhibitRule rule, Labels labels) {
        var k = new ArrayList<String>(rule.equal().size());
        for (String name : rule.equal()) {
            String v = labels.get(name);
            k.add(v == null ? "" : v);
        }
        return k;
    }
}
