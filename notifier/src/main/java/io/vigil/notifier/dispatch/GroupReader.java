package io.vigil.notifier.dispatch;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.Labels;
import io.vigil.notifier.Alert;
import io.vigil.notifier.AlertGroup;
import io.vigil.notifier.AlertStatus;
import io.vigil.notifier.Severity;
import io.vigil.notifier.routing.RoutingConfig;

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

/**
 * Reads a group's members as alerts to notify, and what mutes them, inside the caller's
 * transaction: shared by the flusher (notifications) and the escalation stepper (pages).
 */
final class GroupReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() { };

    /** A member of a group: the alert as messages show it, and the labels routes and silences see. */
    record Member(String fingerprint, String notifiedState, String state, Alert alert, Labels routingLabels) {

        boolean active() {
            return state.equals("firing") || state.equals("nodata");
        }
    }

    private final String externalUrl;

    GroupReader(String externalUrl) {
        this.externalUrl = externalUrl.endsWith("/") ? externalUrl.substring(0, externalUrl.length() - 1) : externalUrl;
    }

    /** Silences and inhibitions as they stand now. */
    static Muting muting(Connection c, RoutingConfig config, Instant now) throws SQLException {
        return new Muting(SilenceStore.current(c), config.inhibitRules(), activeAlerts(c), now);
    }

    /**
     * The group as a page shows it: its active alerts that no silence or inhibition mutes. Empty when
     * there are none (resolved, or all muted) or the group is gone.
     */
    Optional<AlertGroup> firingGroup(Connection c, String key, Muting muting) throws SQLException {
        Labels labels;
        try (var ps = c.prepareStatement("SELECT group_labels::text FROM notifier_groups WHERE group_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                labels = Labels.of(map(rs.getString(1)));
            }
        }
        var alerts = new ArrayList<Alert>();
        for (Member m : members(c, key)) {
            if (m.active() && muting.reason(m.fingerprint(), m.routingLabels()).isEmpty()) {
                alerts.add(m.alert());
            }
        }
        return alerts.isEmpty() ? Optional.empty() : Optional.of(new AlertGroup(key, labels, alerts));
    }

    List<Member> members(Connection c, String key) throws SQLException {
        try (var ps = c.prepareStatement("SELECT a.fingerprint, m.notified_state, a.state, a.severity, a.rule, a.labels::text,"
                + " a.annotations::text, a.active_at, a.fired_at, a.resolved_at, a.changed_at, a.query"
                + " FROM notifier_group_alerts m JOIN notifier_alerts a ON a.fingerprint = m.fingerprint WHERE m.group_key = ?")) {
            ps.setString(1, key);
            var out = new ArrayList<Member>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(member(rs));
                }
            }
            // Oldest first, the order messages list them in (startsAt is derived, so sorted here, not in SQL).
            out.sort(Comparator.comparing((Member m) -> m.alert().startsAt()).thenComparing(Member::fingerprint));
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

    static Map<String, String> map(String json) {
        try {
            return JSON.readValue(json, MAP);
        } catch (IOException e) {
            throw new UncheckedIOException("stored labels are not a JSON object: " + json, e);
        }
    }

    /** The database's clock: every instance judges "due" by the same one. */
    static Instant dbNow(Connection c) throws SQLException {
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT now()")) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
