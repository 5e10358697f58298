package io.vigil.notifier.routing;

import io.vigil.model.LabelMatcher;
import io.vigil.notifier.oncall.EscalationPolicy;
import io.vigil.notifier.oncall.Schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The notifier's routing as configuration: the route tree, inhibition rules (the built-in ones
 * first unless switched off) and named time windows.
 */
public record RoutingConfig(RouteTree tree, List<InhibitRule> inhibitRules, Map<String, TimeWindow> timeWindows,
                            Map<String, Schedule> schedules, Map<String, EscalationPolicy> escalationPolicies) {

    public static final Duration DEFAULT_GROUP_WAIT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_GROUP_INTERVAL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);
    public static final List<String> DEFAULT_GROUP_BY = List.of("alertname", "cluster");

    public RoutingConfig {
        inhibitRules = List.copyOf(inhibitRules);
        timeWindows = Map.copyOf(timeWindows);
        schedules = Map.copyOf(schedules);
        escalationPolicies = Map.copyOf(escalationPolicies);
    }

    /**
     * Built in, and documented in notifier/README.md: a cluster that is down (red) mutes the
     * per-node alerts of that cluster — the pager says "cluster down" once, not once per node; and a
     * severe alert mutes the normal alerts of the same cluster and instance, which the severe page
     * already covers.
     */
    public static List<InhibitRule> builtinInhibitRules() {
        return List.of(
                new InhibitRule("cluster-down-mutes-its-nodes",
                        List.of(Matchers.parse("alertname=\"ClusterDown\"")),
                        List.of(Matchers.parse("instance=~\".+\""), Matchers.parse("alertname!=\"ClusterDown\"")),
                        List.of("cluster"), true),
                new InhibitRule("severe-mutes-normal",
                        List.of(Matchers.parse("severity=\"severe\"")),
                        List.of(Matchers.parse("severity=\"normal\"")),
                        List.of("cluster", "instance"), true));
    }

    /** No routes file: every alert goes to every configured receiver, grouped by alert name and cluster. */
    public static RoutingConfig defaults(Set<String> receivers) {
        Route root = new Route("root", List.<LabelMatcher>of(), receivers.stream().sorted().toList(), DEFAULT_GROUP_BY, false,
                DEFAULT_GROUP_WAIT, DEFAULT_GROUP_INTERVAL, DEFAULT_REPEAT_INTERVAL, false, true, List.of(), List.of(), null, List.of());
        return new RoutingConfig(new RouteTree(root), builtinInhibitRules(), Map.of(), Map.of(), Map.of());
    }

    /** Receivers named anywhere in the tree. */
    public Set<String> receiverNames() {
        var out = new TreeSet<String>();
        tree.all().forEach(r -> out.addAll(r.receivers()));
        return out;
    }

    /**
     * The receivers an escalation level pages at {@code at}: receiver names as they are, and
     * {@code schedule:<name>} as whoever is on call then. Duplicates are paged once.
     */
    public List<String> resolve(List<String> targets, Instant at) {
        var out = new LinkedHashSet<String>();
        for (String t : targets) {
            if (t.startsWith(EscalationPolicy.SCHEDULE_PREFIX)) {
                Schedule s = schedules.get(t.substring(EscalationPolicy.SCHEDULE_PREFIX.length()));
                if (s != null) {
                    out.add(s.onCall(at));
                }
            } else {
                out.add(t);
            }
        }
        return List.copyOf(out);
    }

    /** Time windows named by the route, checked at load time to exist. */
    public List<TimeWindow> windows(List<String> names) {
        var out = new ArrayList<TimeWindow>(names.size());
        for (String n : names) {
            TimeWindow w = timeWindows.get(n);
            if (w != null) {
                out.add(w);
            }
        }
        return out;
    }
}
