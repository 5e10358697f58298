package io.vigil.notifier.routing;

import io.vigil.model.LabelMatcher;
import io.vigil.model.Labels;
import io.vigil.notifier.ChannelKind;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One node of the route tree, with its options already inherited from its parents.
 *
 * @param path             where the node sits ("root", "root.1", "root.1.0"): part of the group key,
 *                         so the same alert routed two ways forms two groups
 * @param groupBy          label names that split the route's alerts into groups; empty puts them all in one group
 * @param groupByAll       {@code group_by: ['...']}: every alert is its own group
 * @param continueMatching after this node matches, later siblings are still tried
 * @param channels         the media each receiver is notified on, one notification per medium the receiver
 *                         has; empty: the receiver's first channel, failing over down its list
 * @param escalation       the escalation policy that pages people about this route's groups until one
 *                         acknowledges; null for none
 */
public record Route(String path, List<LabelMatcher> matchers, List<String> receivers, List<String> groupBy,
                    boolean groupByAll, Duration groupWait, Duration groupInterval, Duration repeatInterval,
                    boolean continueMatching, boolean sendResolved, List<String> muteTimeWindows,
                    List<String> activeTimeWindows, List<ChannelKind> channels, String escalation, List<Route> routes) {

    public Route {
        Objects.requireNonNull(path, "path");
        matchers = List.copyOf(matchers);
        receivers = List.copyOf(receivers);
        groupBy = List.copyOf(groupBy);
        muteTimeWindows = List.copyOf(muteTimeWindows);
        activeTimeWindows = List.copyOf(activeTimeWindows);
        channels = List.copyOf(channels);
        routes = List.copyOf(routes);
    }

    public boolean matches(Labels labels) {
        return Matchers.matchAll(matchers, labels);
    }

    /** The media to notify {@code receiverChannels} on: the route's that the receiver has, else its first. */
    public List<ChannelKind> mediaFor(List<ChannelKind> receiverChannels) {
        if (receiverChannels.isEmpty()) {
            return List.of();
        }
        List<ChannelKind> both = channels.stream().filter(receiverChannels::contains).toList();
        return both.isEmpty() ? List.of(receiverChannels.getFirst()) : both;
    }

    /** The labels that name this alert's group on this route. */
    public Labels groupLabels(Labels alertLabels) {
        if (groupByAll) {
            return alertLabels;
        }
        var m = new TreeMap<String, String>();
        for (String name : groupBy) {
            String v = alertLabels.get(name);
            if (v != null) {
                m.put(name, v);
            }
        }
        return Labels.of(m);
    }

    /** Route path and group labels: stable across restarts and identical on every notifier instance. */
    public String groupKey(Labels alertLabels) {
        return path + groupLabels(alertLabels);
    }
}
