package io.vigil.notifier.routing;

import io.vigil.model.Durations;
import io.vigil.model.LabelMatcher;
import io.vigil.notifier.ChannelKind;
import io.vigil.notifier.oncall.EscalationPolicy;
import io.vigil.notifier.oncall.Schedule;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.time.DayOfWeek;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
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
            "repeat_interval", "continue", "send_resolved", "mute_time_windows", "active_time_windows", "routes", "escalation",
            "channels");
    private static final Set<String> TOP_FIELDS = Set.of("route", "inhibit_rules", "builtin_inhibitions", "time_windows",
            "schedules", "escalation_policies");
    private static final Set<String> SCHEDULE_FIELDS = Set.of("time_zone", "rotation", "handoff", "start", "members", "overrides");
    private static final Set<String> OVERRIDE_FIELDS = Set.of("receiver", "start", "end");
    private static final Set<String> POLICY_FIELDS = Set.of("levels", "repeat");
    private static final Set<String> LEVEL_FIELDS = Set.of("notify", "escalate_after");
    private static final Pattern HANDOFF = Pattern.compile("(?:([a-zA-Z]+)\\s+)?(\\d{1,2}):(\\d{2})");
    private static final Set<String> INHIBIT_FIELDS = Set.of("name", "source_matchers", "target_matchers", "equal");
    private static final Set<String> INTERVAL_FIELDS = Set.of("weekdays", "times", "location");
    private static final Pattern TIME_RANGE = Pattern.compile("(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})");

    private final Set<String> knownReceivers;
    private final List<String> problems = new ArrayList<>();
    private Map<String, Schedule> schedules = Map.of();
    private Map<String, EscalationPolicy> policies = Map.of();

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
        schedules = schedules(top.get("schedules"));
        policies = policies(top.get("escalation_policies"));
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
                    false, true, List.of(), List.of(), List.of(), null, List.of());
            root = route(rootMap, "route", "root", defaults, windows);
            if (root.receivers().isEmpty() && root.escalation() == null) {
                problems.add("route.receivers: the root route needs at least one receiver or an escalation (children inherit them)");
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
        return new RoutingConfig(new RouteTree(root), inhibit, windows, schedules, policies);
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
        String escalation = m.containsKey("escalation") ? String.valueOf(m.get("escalation")) : parent.escalation();
        if (m.containsKey("escalation") && !policies.containsKey(escalation)) {
            problems.add(at + ".escalation: unknown escalation policy '" + escalation + "' (defined: "
                    + policies.keySet().stream().sorted().toList() + ")");
        }
        List<ChannelKind> channels = parent.channels();
        if (m.containsKey("channels")) {
            var kinds = new ArrayList<ChannelKind>();
            for (String c : strings(m.get("channels"), at + ".channels")) {
                try {
                    kinds.add(ChannelKind.of(c));
                } catch (IllegalArgumentException e) {
                    problems.add(at + ".channels: unknown channel '" + c + "' (sms, voice, mail, wechat, webhook)");
                }
            }
            channels = kinds;
        }
        Route self = new Route(path, matchers, receivers, groupBy, all, wait, interval, repeat, cont, sendResolved, mute, active,
                channels, escalation, List.of());
        var children = new ArrayList<Route>();
        List<Object> routes = list(m.get("routes"), at + ".routes");
        for (int i = 0; i < routes.size(); i++) {
            Map<String, Object> child = map(routes.get(i), at + ".routes[" + i + "]");
            if (child != null) {
                children.add(route(child, at + ".routes[" + i + "]", path + "." + i, self, windows));
            }
        }
        return new Route(path, matchers, receivers, groupBy, all, wait, interval, repeat, cont, sendResolved, mute, active,
                channels, escalation, children);
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

    private Map<String, Schedule> schedules(Object o) {
        var out = new LinkedHashMap<String, Schedule>();
        Map<String, Object> m = map(o, "schedules");
        if (m == null) {
            return out;
        }
        for (var e : m.entrySet()) {
            String at = "schedules." + e.getKey();
            Map<String, Object> sm = map(e.getValue(), at);
            if (sm == null) {
                continue;
            }
            unknownFields(sm, SCHEDULE_FIELDS, at);
            int before = problems.size();
            ZoneId zone = ZoneOffset.UTC;
            if (sm.get("time_zone") != null) {
                try {
                    zone = ZoneId.of(String.valueOf(sm.get("time_zone")));
                } catch (DateTimeException ex) {
                    problems.add(at + ".time_zone: unknown time zone '" + sm.get("time_zone") + "'");
                }
            }
            Schedule.Rotation rotation = Schedule.Rotation.WEEKLY;
            String rot = String.valueOf(sm.getOrDefault("rotation", "weekly")).toUpperCase(Locale.ROOT);
            try {
                rotation = Schedule.Rotation.valueOf(rot);
            } catch (IllegalArgumentException ex) {
                problems.add(at + ".rotation: daily or weekly, got '" + sm.get("rotation") + "'");
            }
            DayOfWeek handoffDay = DayOfWeek.MONDAY;
            LocalTime handoffTime = LocalTime.of(10, 0);
            Object h = sm.get("handoff");
            if (h instanceof Integer n) {
                // YAML 1.1 reads an unquoted 10:00 as the base-60 number 600.
                h = String.format(Locale.ROOT, "%d:%02d", n / 60, n % 60);
            }
            if (h != null) {
                Matcher hm = HANDOFF.matcher(String.valueOf(h).trim());
                if (!hm.matches()) {
                    problems.add(at + ".handoff: expected \"HH:MM\" (daily) or \"<weekday> HH:MM\" (weekly), got '" + h + "'");
                } else {
                    try {
                        handoffTime = LocalTime.of(Integer.parseInt(hm.group(2)), Integer.parseInt(hm.group(3)));
                    } catch (DateTimeException ex) {
                        problems.add(at + ".handoff: " + ex.getMessage());
                    }
                    if (hm.group(1) != null) {
                        DayOfWeek d = day(hm.group(1), at + ".handoff");
                        handoffDay = d == null ? handoffDay : d;
                    }
                }
            }
            LocalDate start = null;
            Object st = sm.get("start");
            if (st == null) {
                problems.add(at + ".start: required: a date on which the first member takes over");
            } else {
                try {
                    start = st instanceof Date d ? d.toInstant().atZone(ZoneOffset.UTC).toLocalDate() : LocalDate.parse(String.valueOf(st));
                } catch (DateTimeException ex) {
                    problems.add(at + ".start: a date such as 2026-11-30, got '" + st + "'");
                }
            }
            List<String> members = strings(sm.get("members"), at + ".members");
            if (members.isEmpty()) {
                problems.add(at + ".members: at least one receiver");
            }
            members.stream().filter(r -> !knownReceivers.contains(r))
                    .forEach(r -> problems.add(at + ".members: unknown receiver '" + r + "'"));
            var overrides = new ArrayList<Schedule.Override>();
            List<Object> ol = list(sm.get("overrides"), at + ".overrides");
            for (int i = 0; i < ol.size(); i++) {
                String oat = at + ".overrides[" + i + "]";
                Map<String, Object> om = map(ol.get(i), oat);
                if (om == null) {
                    continue;
                }
                unknownFields(om, OVERRIDE_FIELDS, oat);
                String receiver = String.valueOf(om.get("receiver"));
                if (!knownReceivers.contains(receiver)) {
                    problems.add(oat + ".receiver: unknown receiver '" + receiver + "'");
                }
                Instant from = timestamp(om.get("start"), oat + ".start");
                Instant to = timestamp(om.get("end"), oat + ".end");
                if (from != null && to != null && !to.isAfter(from)) {
                    problems.add(oat + ": end must be after start");
                }
                if (from != null && to != null) {
                    overrides.add(new Schedule.Override(receiver, from, to));
                }
            }
            if (problems.size() == before && start != null) {
                try {
                    out.put(e.getKey(), new Schedule(e.getKey(), zone, rotation, handoffDay, handoffTime, start, members, overrides));
                } catch (IllegalArgumentException ex) {
                    problems.add(at + ": " + ex.getMessage());
                }
            }
        }
        return out;
    }

    private Instant timestamp(Object o, String at) {
        if (o == null) {
            problems.add(at + ": required");
            return null;
        }
        if (o instanceof Date d) {
            return d.toInstant();
        }
        try {
            return OffsetDateTime.parse(String.valueOf(o)).toInstant();
        } catch (DateTimeException ex) {
            problems.add(at + ": an ISO-8601 time with offset such as 2026-12-24T18:00:00+08:00, got '" + o + "'");
            return null;
        }
    }

    private Map<String, EscalationPolicy> policies(Object o) {
        var out = new LinkedHashMap<String, EscalationPolicy>();
        Map<String, Object> m = map(o, "escalation_policies");
        if (m == null) {
            return out;
        }
        for (var e : m.entrySet()) {
            String at = "escalation_policies." + e.getKey();
            Map<String, Object> pm = map(e.getValue(), at);
            if (pm == null) {
                continue;
            }
            unknownFields(pm, POLICY_FIELDS, at);
            var levels = new ArrayList<EscalationPolicy.Level>();
            List<Object> ll = list(pm.get("levels"), at + ".levels");
            for (int i = 0; i < ll.size(); i++) {
                String lat = at + ".levels[" + i + "]";
                Map<String, Object> lm = map(ll.get(i), lat);
                if (lm == null) {
                    continue;
                }
                unknownFields(lm, LEVEL_FIELDS, lat);
                List<String> notify = strings(lm.get("notify"), lat + ".notify");
                if (notify.isEmpty()) {
                    problems.add(lat + ".notify: at least one receiver or schedule:<name>");
                }
                for (String t : notify) {
                    if (t.startsWith(EscalationPolicy.SCHEDULE_PREFIX)) {
                        String name = t.substring(EscalationPolicy.SCHEDULE_PREFIX.length());
                        if (!schedules.containsKey(name)) {
                            problems.add(lat + ".notify: unknown schedule '" + name + "' (defined: " + schedules.keySet().stream().sorted().toList() + ")");
                        }
                    } else if (!knownReceivers.contains(t)) {
                        problems.add(lat + ".notify: unknown receiver '" + t + "'");
                    }
                }
                Duration after = duration(lm, "escalate_after", lat, Duration.ofMinutes(5));
                if (after.isZero()) {
                    problems.add(lat + ".escalate_after: must be more than 0");
                }
                levels.add(new EscalationPolicy.Level(notify, after));
            }
            if (levels.isEmpty()) {
                problems.add(at + ".levels: at least one level");
                continue;
            }
            int repeat = 0;
            Object r = pm.get("repeat");
            if (r != null) {
                if (r instanceof Integer n && n >= 0) {
                    repeat = n;
                } else {
                    problems.add(at + ".repeat: a whole number ≥ 0, got '" + r + "'");
                }
            }
            out.put(e.getKey(), new EscalationPolicy(e.getKey(), levels, repeat));
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
