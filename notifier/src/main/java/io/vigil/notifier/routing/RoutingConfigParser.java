package io.vigil.notifier.routing;

import io.vigil.model.Durations;
import io.vigil.model.LabelMatcher;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.time.DayOfWeek;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a routing file:
 * <pre>
 * route:                      # the root: takes every alert; its options are the defaults below it
 *   receivers: [team-mail]
 *   group_by: [alertname, cluster]
 *   group_wait: 30s
 *   group_interval: 5m
 *   repeat_interval: 4h
 *   routes:
 *     - matchers: ['severity="severe"']
 *       receivers: [oncall-voice, oncall-sms]
 *       continue: true
 *       mute_time_windows: [maintenance]
 * inhibit_rules:
 *   - source_matchers: ['alertname="MySQLDown"']
 *     target_matchers: ['alertname="MySQLReplicationLag"']
 *     equal: [cluster]
 * builtin_inhibitions: true
 * time_windows:
 *   maintenance:
 *     - weekdays: ['sunday']
 *       times: ['02:00-04:00']
 *       location: Asia/Shanghai
 * </pre>
 * Unknown fields, unknown receivers and time windows, bad durations and matchers are all reported
 * at once, each with its path.
 */
public final class RoutingConfigParser {

    private static final Set<String> ROUTE_FIELDS = Set.of("matchers", "receivers", "group_by", "group_wait", "group_interval",
            "repeat_interval", "continue", "send_resolved", "mute_time_windows", "active_time_windows", "routes");
    private static final Set<String> TOP_FIELDS = Set.of("route", "inhibit_rules", "builtin_inhibitions", "time_windows");
    private static final Set<String> INHIBIT_FIELDS = Set.of("name", "source_matchers", "target_matchers", "equal");
    private static final Set<String> INTERVAL_FIELDS = Set.of("weekdays", "times", "location");
    private static final Pattern TIME_RANGE = Pattern.compile("(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})");

    private final Set<String> knownReceivers;
    private final List<String> problems = new ArrayList<>();

    private RoutingConfigParser(Set<String> knownReceivers) {
        this.knownReceivers = knownReceivers;
    }

    /**
     * @param knownReceivers the receivers the notifier has; a route naming another one is an error
     * @throws RoutingConfigException with every problem found
     */
    public static RoutingConfig parse(String source, String yaml, Set<String> knownReceivers) {
        return new RoutingConfigParser(knownReceivers).parse(source, yaml);
    }

    private RoutingConfig parse(String source, String yaml) {
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw new RoutingConfigException(source, List.of("not valid YAML: " + e.getMessage()));
        }
        Map<String, Object> top = map(doc, "(top level)");
        if (top == null) {
            throw new RoutingConfigException(source, problems.isEmpty() ? List.of("empty file") : problems);
        }
        unknownFields(top, TOP_FIELDS, "");
        Map<String, TimeWindow> windows = timeWindows(top.get("time_windows"));
        Route root = null;
        Map<String, Object> rootMap = map(top.get("route"), "route");
        if (rootMap == null) {
            if (!top.containsKey("route")) {
                problems.add("route: missing (the root route)");
            }
        } else {
            if (rootMap.containsKey("matchers")) {
                problems.add("route.matchers: the root route takes every alert and cannot have matchers");
            }
            Route defaults = new Route("root", List.of(), List.of(), RoutingConfig.DEFAULT_GROUP_BY, false,
                    RoutingConfig.DEFAULT_GROUP_WAIT, RoutingConfig.DEFAULT_GROUP_INTERVAL, RoutingConfig.DEFAULT_REPEAT_INTERVAL,
                    false, true, List.of(), List.of(), List.of());
            root = route(rootMap, "route", "root", defaults, windows);
            if (root.receivers().isEmpty()) {
                problems.add("route.receivers: the root route needs at least one receiver (children inherit it)");
            }
        }
        var inhibit = new ArrayList<InhibitRule>();
        Object builtin = top.getOrDefault("builtin_inhibitions", Boolean.TRUE);
        if (!(builtin instanceof Boolean)) {
            problems.add("builtin_inhibitions: expected true or false, got '" + builtin + "'");
        } else if ((Boolean) builtin) {
            inhibit.addAll(RoutingConfig.builtinInhibitRules());
        }
        List<Object> rules = list(top.get("inhibit_rules"), "inhibit_rules");
        for (int i = 0; i < rules.size(); i++) {
            InhibitRule r = inhibitRule(rules.get(i), "inhibit_rules[" + i + "]");
            if (r != null) {
                inhibit.add(r);
            }
        }
        if (!problems.isEmpty()) {
            throw new RoutingConfigException(source, problems);
        }
        return new RoutingConfig(new RouteTree(root), inhibit, windows);
    }

    private Route route(Map<String, Object> m, String at, String path, Route parent, Map<String, TimeWindow> windows) {
        unknownFields(m, ROUTE_FIELDS, at);
        List<LabelMatcher> matchers = matchers(m.get("matchers"), at + ".matchers");
        List<String> receivers = m.containsKey("receivers") ? strings(m.get("receivers"), at + ".receivers") : parent.receivers();
        for (String r : receivers) {
            if (!knownReceivers.contains(r) && m.containsKey("receivers")) {
                problems.add(at + ".receivers: unknown receiver '" + r + "' (configured: " + knownReceivers.stream().sorted().toList() + ")");
            }
        }
        List<String> groupBy = parent.groupBy();
        boolean all = parent.groupByAll();
        if (m.containsKey("group_by")) {
            groupBy = strings(m.get("group_by"), at + ".group_by");
            all = groupBy.contains("...");
            if (all && groupBy.size() > 1) {
                problems.add(at + ".group_by: '...' (every label) stands alone");
            }
            if (all) {
                groupBy = List.of();
            }
        }
        Duration wait = duration(m, "group_wait", at, parent.groupWait());
        Duration interval = duration(m, "group_interval", at, parent.groupInterval());
        Duration repeat = duration(m, "repeat_interval", at, parent.repeatInterval());
        if (interval.isZero()) {
            problems.add(at + ".group_interval: must be more than 0");
        }
        if (repeat.isZero()) {
            problems.add(at + ".repeat_interval: must be more than 0");
        }
        boolean cont = bool(m, "continue", at, false);
        boolean sendResolved = bool(m, "send_resolved", at, parent.sendResolved());
        List<String> mute = m.containsKey("mute_time_windows") ? strings(m.get("mute_time_windows"), at + ".mute_time_windows") : parent.muteTimeWindows();
        List<String> active = m.containsKey("active_time_windows") ? strings(m.get("active_time_windows"), at + ".active_time_windows") : parent.activeTimeWindows();
        for (String w : concat(mute, active)) {
            if (!windows.containsKey(w)) {
                problems.add(at + ": unknown time window '" + w + "' (defined: " + windows.keySet().stream().sorted().toList() + ")");
            }
        }
        Route self = new Route(path, matchers, receivers, groupBy, all, wait, interval, repeat, cont, sendResolved, mute, active, List.of());
        var children = new ArrayList<Route>();
        List<Object> routes = list(m.get("routes"), at + ".routes");
        for (int i = 0; i < routes.size(); i++) {
            Map<String, Object> child = map(routes.get(i), at + ".routes[" + i + "]");
            if (child != null) {
                children.add(route(child, at + ".routes[" + i + "]", path + "." + i, self, windows));
            }
        }
        return new Route(path, matchers, receivers, groupBy, all, wait, interval, repeat, cont, sendResolved, mute, active, children);
    }

    private InhibitRule inhibitRule(Object o, String at) {
        Map<String, Object> m = map(o, at);
        if (m == null) {
            return null;
        }
        unknownFields(m, INHIBIT_FIELDS, at);
        List<LabelMatcher> source = matchers(m.get("source_matchers"), at + ".source_matchers");
        List<LabelMatcher> target = matchers(m.get("target_matchers"), at + ".target_matchers");
        if (source.isEmpty()) {
            problems.add(at + ".source_matchers: needs at least one matcher");
        }
        if (target.isEmpty()) {
            problems.add(at + ".target_matchers: needs at least one matcher");
        }
        List<String> equal = strings(m.get("equal"), at + ".equal");
        Object name = m.getOrDefault("name", at);
        return new InhibitRule(String.valueOf(name), source, target, equal, false);
    }

    private Map<String, TimeWindow> timeWindows(Object o) {
        var out = new LinkedHashMap<String, TimeWindow>();
        Map<String, Object> m = map(o, "time_windows");
        if (m == null) {
            return out;
        }
        for (var e : m.entrySet()) {
            String at = "time_windows." + e.getKey();
            var intervals = new ArrayList<TimeWindow.Interval>();
            List<Object> items = list(e.getValue(), at);
            for (int i = 0; i < items.size(); i++) {
                Map<String, Object> im = map(items.get(i), at + "[" + i + "]");
                if (im != null) {
                    intervals.add(interval(im, at + "[" + i + "]"));
                }
            }
            if (intervals.isEmpty()) {
                problems.add(at + ": needs at least one interval");
            }
            out.put(e.getKey(), new TimeWindow(e.getKey(), intervals));
        }
        return out;
    }

    private TimeWindow.Interval interval(Map<String, Object> m, String at) {
        unknownFields(m, INTERVAL_FIELDS, at);
        var days = EnumSet.noneOf(DayOfWeek.class);
        for (String d : strings(m.get("weekdays"), at + ".weekdays")) {
            String[] ends = d.split(":", 2);
            DayOfWeek from = day(ends[0], at + ".weekdays");
            DayOfWeek to = ends.length == 2 ? day(ends[1], at + ".weekdays") : from;
            if (from != null && to != null) {
                for (DayOfWeek x = from; ; x = x.plus(1)) {
                    days.add(x);
                    if (x == to) {
                        break;
                    }
                }
            }
        }
        var times = new ArrayList<TimeWindow.TimeRange>();
        for (String t : strings(m.get("times"), at + ".times")) {
            Matcher tm = TIME_RANGE.matcher(t.trim());
            try {
                if (!tm.matches()) {
                    throw new DateTimeException("expected HH:MM-HH:MM");
                }
                LocalTime start = LocalTime.of(Integer.parseInt(tm.group(1)), Integer.parseInt(tm.group(2)));
                int endHour = Integer.parseInt(tm.group(3));
                LocalTime end = endHour == 24 && tm.group(4).equals("00") ? LocalTime.MIDNIGHT
                        : LocalTime.of(endHour, Integer.parseInt(tm.group(4)));
                times.add(new TimeWindow.TimeRange(start, end));
            } catch (DateTimeException e) {
                problems.add(at + ".times: '" + t + "': " + e.getMessage());
            }
        }
        ZoneId zone = ZoneOffset.UTC;
        if (m.get("location") != null) {
            try {
                zone = ZoneId.of(String.valueOf(m.get("location")));
            } catch (DateTimeException e) {
                problems.add(at + ".location: unknown time zone '" + m.get("location") + "'");
            }
        }
        return new TimeWindow.Interval(days, times, zone);
    }

    private DayOfWeek day(String s, String at) {
        try {
            return DayOfWeek.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(at + ": '" + s + "' is not a weekday (monday … sunday, or a range monday:friday)");
            return null;
        }
    }

    private List<LabelMatcher> matchers(Object o, String at) {
        var out = new ArrayList<LabelMatcher>();
        for (String s : strings(o, at)) {
            try {
                out.add(Matchers.parse(s));
            } catch (IllegalArgumentException e) {
                problems.add(at + ": " + e.getMessage());
            }
        }
        return out;
    }

    private Duration duration(Map<String, Object> m, String field, String at, Duration inherited) {
        Object o = m.get(field);
        if (o == null) {
            return inherited;
        }
        try {
            return Durations.parse(String.valueOf(o));
        } catch (IllegalArgumentException e) {
            problems.add(at + "." + field + ": " + e.getMessage());
            return inherited;
        }
    }

    private boolean bool(Map<String, Object> m, String field, String at, boolean inherited) {
        Object o = m.get(field);
        if (o == null) {
            return inherited;
        }
        if (o instanceof Boolean b) {
            return b;
        }
        problems.add(at + "." + field + ": expected true or false, got '" + o + "'");
        return inherited;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(Object o, String at) {
        if (o == null) {
            return null;
        }
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        problems.add(at + ": expected a mapping, got '" + o + "'");
        return null;
    }

    private List<Object> list(Object o, String at) {
        if (o == null) {
            return List.of();
        }
        if (o instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        problems.add(at + ": expected a list, got '" + o + "'");
        return List.of();
    }

    private List<String> strings(Object o, String at) {
        var out = new ArrayList<String>();
        for (Object x : list(o, at)) {
            if (x instanceof String || x instanceof Number || x instanceof Boolean) {
                out.add(String.valueOf(x));
            } else {
                problems.add(at + ": expected a string, got '" + x + "'");
            }
        }
        return out;
    }

    private void unknownFields(Map<String, Object> m, Set<String> known, String at) {
        for (Object k : m.keySet()) {
            if (!known.contains(String.valueOf(k))) {
                problems.add((at.isEmpty() ? "" : at + ".") + k + ": unknown field (known: " + known.stream().sorted().toList() + ")");
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        var out = new ArrayList<String>(a);
        out.addAll(b);
        return out;
    }
}
