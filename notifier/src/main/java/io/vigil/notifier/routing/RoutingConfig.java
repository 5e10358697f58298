package io.vigil.notifier.routing;

import io.vigil.model.LabelMatcher;
import io.vigil.notifier.ChannelKind;
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

    /**
     * No routes file: every alert to every configured receiver, grouped by alert name and cluster;
     * normal alerts by SMS, WeChat Work and mail, severe ones at once by phone call and SMS (each
     * receiver on those of the media it has, else on its first channel).
     */
    public static RoutingConfig defaults(Set<String> receivers) {
        List<String> all = receivers.stream().sorted().toList();
        Route severe = new Route("root.0", List.of(Matchers.parse("severity=\"severe\"")), all, DEFAULT_GROUP_BY, false,
                Duration.ZERO, DEFAULT_GROUP_INTERVAL, Duration.ofHours(1), false, true, List.of(), List.of(),
                List.of(ChannelKind.VOICE, ChannelKind.SMS), null, List.of());
        Route root = new Route("root", List.<LabelMatcher>of(), all, DEFAULT_GROUP_BY, false,
                DEFAULT_GROUP_WAIT, DEFAULT_GROUP_INTERVAL, DEFAULT_REPEAT_INTERVAL, false, true, List.of(), List.of(),
                List.of(ChannelKind.SMS, ChannelKind.WECHAT, ChannelKind.MAIL), null, List.of(severe));
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
