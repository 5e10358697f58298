package io.vigil.notifier.dispatch;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.Labels;
import io.vigil.notifier.Alert;
import io.vigil.notifier.AlertGroup;
import io.vigil.notifier.AlertStatus;
import io.vigil.notifier.Outbox;
import io.vigil.notifier.Receiver;
import io.vigil.notifier.Receivers;
import io.vigil.notifier.Severity;
import io.vigil.notifier.routing.Route;
import io.vigil.notifier.routing.RoutingConfig;
import io.vigil.notifier.routing.TimeWindow;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Flushes the groups whose time has come. For each one, in one transaction with the group row locked
 * (SKIP LOCKED: two notifier instances never flush the same group): the members that are firing and
 * not muted, and the resolved ones that were announced as firing, form the notification; it is sent
 * when it differs from the last one sent, or when {@code repeat_interval} has passed with alerts
 * still firing. Sending is an outbox row per receiver, keyed by the group's flush sequence, written
 * in the same transaction as the group's new state, so a crash can neither lose nor double it.
 */
public final class GroupFlusher {

    private static final Logger LOG = Logger.getLogger(GroupFlusher.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() { };

    private final DataSource dataSource;
    private final Supplier<RoutingConfig> routing;
    private final Receivers receivers;
    private final String externalUrl;

    /**
     * @param externalUrl how users reach this Vigil ({@code http://vigil.example:8080}); graph links in messages start with it
     */
    public GroupFlusher(DataSource dataSource, Supplier<RoutingConfig> routing, Receivers receivers, String externalUrl) {
        this.dataSource = dataSource;
        this.routing = routing;
        this.receivers = receivers;
        this.externalUrl = externalUrl.endsWith("/") ? externalUrl.substring(0, externalUrl.length() - 1) : externalUrl;
    }

    private record GroupRow(String key, String routePath, List<String> receivers, Labels labels, Duration groupInterval,
                            Duration repeatInterval, boolean sendResolved, Instant lastNotifiedAt, String notifiedDigest, int seq) {
    }

    private record Member(String fingerprint, String notifiedState, String state, Alert alert, Labels routingLabels) {
    }

    /** What one flush did, for tests and metrics. */
    public record Result(int groups, int notifications) {
    }

    /**
     * Flushes up to {@code limit} due groups.
     *
     * @throws DispatchException when PostgreSQL fails; the groups stay due and are flushed on a later call
     */
    public Result flushDue(int limit) {
        RoutingConfig config = routing.get();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Result r = flush(c, config, limit);
                c.commit();
                return r;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DispatchException("cannot flush alert groups: " + e.getMessage(), e);
        }
    }

    private Result flush(Connection c, RoutingConfig config, int limit) throws SQLException {
        List<GroupRow> due = lockDue(c, limit);
        if (due.isEmpty()) {
            return new Result(0, 0);
        }
        Instant now = dbNow(c);
        Muting muting = new Muting(SilenceStore.current(c), config.inhibitRules(), activeAlerts(c), now);
        int sent = 0;
        for (GroupRow g : due) {
            sent += flushGroup(c, config, g, muting, now);
        }
        return new Result(due.size(), sent);
    }

    private int flushGroup(Connection c, RoutingConfig config, GroupRow g, Muting muting, Instant now) throws SQLException {
        var included = new ArrayList<Alert>();
        var includedFingerprints = new ArrayList<String>();
        var drop = new ArrayList<String>();
        boolean firingLeft = false;
        boolean mutedFiring = false;
        List<Member> members = members(c, g.key());
        for (Member m : members) {
            boolean active = m.state().equals("firing") || m.state().equals("nodata");
            if (active) {
                firingLeft = true;
                if (muting.reason(m.fingerprint(), m.routingLabels()).isPresent()) {
                    mutedFiring = true;
                    continue;
                }
                included.add(m.alert());
                includedFingerprints.add(m.fingerprint());
            } else if ("firing".equals(m.notifiedState()) && g.sendResolved()) {
                included.add(m.alert());
                includedFingerprints.add(m.fingerprint());
                drop.add(m.fingerprint());
            } else if (!m.state().equals("pending")) {
                drop.add(m.fingerprint());
            }
        }
        String digest = digest(members, includedFingerprints);
        boolean changed = !digest.equals(g.notifiedDigest());
        boolean repeatDue = g.lastNotifiedAt() == null || !now.isBefore(g.lastNotifiedAt().plus(g.repeatInterval()));
        boolean anyFiringIncluded = included.stream().anyMatch(a -> a.status() == AlertStatus.FIRING);
        boolean wanted = !included.isEmpty() && (changed || (anyFiringIncluded && repeatDue));
        Optional<Route> route = config.tree().find(g.routePath());
        boolean blocked = wanted && route.isPresent() && outsideWindows(config, route.get(), now);
        int notifications = 0;
        if (wanted && !blocked) {
            AlertGroup group = new AlertGroup(g.key(), g.labels(), included);
            String step = "n" + (g.seq() + 1);
            for (String name : g.receivers()) {
                Optional<Receiver> receiver = receivers.find(name);
                if (receiver.isEmpty() || receiver.get().channels().isEmpty()) {
                    LOG.warnf("notifier: group %s names receiver %s, which is not configured (or has no channels); skipped", g.key(), name);
                    continue;
                }
                if (Outbox.enqueue(c, group, receiver.get(), step).isPresent()) {
                    notifications++;
                }
            }
            markNotified(c, g.key(), includedFingerprints, drop);
        } else if (!drop.isEmpty() && !blocked) {
            markNotified(c, g.key(), List.of(), drop);
        }
        boolean anyLeft = members.size() > drop.size();
        if (!anyLeft) {
            try (var ps = c.prepareStatement("DELETE FROM notifier_groups WHERE group_key = ?")) {
                ps.setString(1, g.key());
                ps.executeUpdate();
            }
            return notifications;
        }
        // Firing alerts are looked at again when the repeat is due; muted ones or a closed time window
        // sooner, so an expiring silence or the window's end is noticed within a group interval.
        boolean notified = wanted && !blocked;
        Instant next = null;
        if (firingLeft) {
            // The repeat clock runs from the last notification, not from this look at the group.
            next = (notified || g.lastNotifiedAt() == null ? now : g.lastNotifiedAt()).plus(g.repeatInterval());
            Instant soon = now.plus(g.groupInterval());
            if ((mutedFiring || blocked || !next.isAfter(now)) && soon.isBefore(next)) {
                next = soon;
            }
        }
        try (var ps = c.prepareStatement("UPDATE notifier_groups SET next_flush_at = ?, last_flush_at = ?,"
                + " last_notified_at = CASE WHEN ? THEN ? ELSE last_notified_at END,"
                + " notified_digest = CASE WHEN ? THEN ? ELSE notified_digest END,"
                + " seq = CASE WHEN ? THEN seq + 1 ELSE seq END WHERE group_key = ?")) {
            ps.setTimestamp(1, next == null ? null : Timestamp.from(next));
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setBoolean(3, notified);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setBoolean(5, notified);
            ps.setString(6, digest);
            ps.setBoolean(7, notified);
            ps.setString(8, g.key());
            ps.executeUpdate();
        }
        return notifications;
    }

    /** The notification's content: which alerts, in which state; a repeat of the same content is not a change. */
    private static String digest(List<Member> members, List<String> included) {
        var states = new TreeMap<String, String>();
        for (Member m : members) {
            if (included.contains(m.fingerprint())) {
                states.put(m.fingerprint(), m.alert().status().name());
            }
        }
        return states.toString();
    }

    private static boolean outsideWindows(RoutingConfig config, Route route, Instant now) {
        for (TimeWindow w : config.windows(route.muteTimeWindows())) {
            if (w.contains(now)) {
                return true;
            }
        }
        List<TimeWindow> active = config.windows(route.activeTimeWindows());
        return !active.isEmpty() && active.stream().noneMatch(w -> w.contains(now));
    }

    private static void markNotified(Connection c, String key, List<String> included, List<String> drop) throws SQLException {
        try (var upd = c.prepareStatement("UPDATE notifier_group_alerts SET notified_state = 'firing' WHERE group_key = ? AND fingerprint = ?");
             var del = c.prepareStatement("DELETE FROM notifier_group_alerts WHERE group_key = ? AND fingerprint = ?")) {
            for (String fp : included) {
                if (!drop.contains(fp)) {
                    upd.setString(1, key);
                    upd.setString(2, fp);
                    upd.addBatch();
                }
            }
            for (String fp : drop) {
                del.setString(1, key);
                del.setString(2, fp);
                del.addBatch();
            }
            upd.executeBatch();
            del.executeBatch();
        }
    }

    private static List<GroupRow> lockDue(Connection c, int limit) throws SQLException {
        try (var ps = c.prepareStatement("SELECT group_key, route_path, receivers, group_labels::text, group_interval_ms,"
                + " repeat_interval_ms, send_resolved, last_notified_at, notified_digest, seq FROM notifier_groups"
                + " WHERE next_flush_at <= now() ORDER BY next_flush_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
            ps.setInt(1, limit);
            var out = new ArrayList<GroupRow>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp last = rs.getTimestamp(8);
                    out.add(new GroupRow(rs.getString(1), rs.getString(2), List.of((String[]) rs.getArray(3).getArray()),
                            Labels.of(map(rs.getString(4))), Duration.ofMillis(rs.getLong(5)), Duration.ofMillis(rs.getLong(6)),
                            rs.getBoolean(7), last == null ? null : last.toInstant(), rs.getString(9), rs.getInt(10)));
                }
            }
            return out;
        }
    }

    private List<Member> members(Connection c, String key) throws SQLException {
        try (var ps = c.prepareStatement("SELECT a.fingerprint, m.notified_state, a.state, a.severity, a.rule, a.labels::text,"
                + " a.annotations::text, a.active_at, a.fired_at, a.resolved_at, a.changed_at, a.query"
                + " FROM notifier_group_alerts m JOIN notifier_alerts a ON a.fingerprint = m.fingerprint WHERE m.group_key = ?"
                + " ORDER BY a.fired_at NULLS LAST, a.fingerprint")) {
            ps.setString(1, key);
            var out = new ArrayList<Member>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(member(rs));
                }
            }
            out.sort(Comparator.comparing(m -> m.alert().startsAt()));
            return out;
        }
    }

    private Member member(ResultSet rs) throws SQLException {
        String state = rs.getString(3);
        Severity severity = Severity.valueOf(rs.getString(4).toUpperCase(Locale.ROOT));
        Map<String, String> labels = new TreeMap<>(map(rs.getString(6)));
        labels.putIfAbsent("alertname", rs.getString(5));
        Map<String, String> annotations = map(rs.getString(7));
        Instant activeAt = instant(rs.getTimestamp(8));
        Instant firedAt = instant(rs.getTimestamp(9));
        Instant resolvedAt = instant(rs.getTimestamp(10));
        Instant changedAt = instant(rs.getTimestamp(11));
        Instant startsAt = firedAt != null ? firedAt : activeAt != null ? activeAt : changedAt;
        String summary = annotations.getOrDefault("summary", "");
        if (state.equals("nodata")) {
            summary = "[no data] " + summary;
        }
        boolean active = state.equals("firing") || state.equals("nodata");
        Alert alert = new Alert(Labels.of(labels), active ? AlertStatus.FIRING : AlertStatus.RESOLVED, severity, summary,
                annotations.getOrDefault("description", ""), startsAt, active ? null : resolvedAt != null ? resolvedAt : changedAt,
                graph(rs.getString(12), startsAt, active ? null : resolvedAt));
        Map<String, String> routingLabels = new TreeMap<>(labels);
        routingLabels.putIfAbsent("severity", severity.name().toLowerCase(Locale.ROOT));
        return new Member(rs.getString(1), rs.getString(2), state, alert, Labels.of(routingLabels));
    }

    /** The alert's series from 30 minutes before it started to 10 minutes after it ended (or now, when the link is opened). */
    private String graph(String query, Instant start, Instant end) {
        if (query == null || query.isBlank()) {
            return null;
        }
        String url = externalUrl + "/api/v1/query_range?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&start=" + start.minus(Duration.ofMinutes(30)).getEpochSecond() + "&step=15";
        return end == null ? url : url + "&end=" + end.plus(Duration.ofMinutes(10)).getEpochSecond();
    }

    private static List<Muting.ActiveAlert> activeAlerts(Connection c) throws SQLException {
        var out = new ArrayList<Muting.ActiveAlert>();
        try (var st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT fingerprint, rule, severity, labels::text FROM notifier_alerts"
                     + " WHERE state IN ('firing', 'nodata')")) {
            while (rs.next()) {
                Map<String, String> labels = new TreeMap<>(map(rs.getString(4)));
                labels.putIfAbsent("alertname", rs.getString(2));
                labels.putIfAbsent("severity", rs.getString(3));
                out.add(new Muting.ActiveAlert(rs.getString(1), Labels.of(labels)));
            }
        }
        return out;
    }

    private static Instant dbNow(Connection c) throws SQLException {
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT now()")) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static Map<String, String> map(String json) {
        try {
            return JSON.readValue(json, MAP);
        } catch (IOException e) {
            throw new UncheckedIOException("stored labels are not a JSON object: " + json, e);
        }
    }
}
