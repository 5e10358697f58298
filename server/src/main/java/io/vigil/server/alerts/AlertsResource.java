package io.vigil.server.alerts;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import javax.sql.DataSource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code /api/v1/alerts}: the active alerts of every rules instance (firing and no-data; pending
 * on request), filtered by state, severity, rule and labels; {@code /api/v1/alerts/history}: every
 * change, newest first. Each alert carries the query of its series and a ready {@code query_range} link.
 */
@Path("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertsResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> MAP = new TypeReference<>() {
    };
    private static final Set<String> STATES = Set.of("pending", "firing", "nodata", "resolved");
    static final int MAX_LIMIT = 10_000;

    private final DataSource dataSource;

    public AlertsResource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * @param state    comma-separated states; default {@code firing,nodata}
     * @param labels   label filters {@code name=value}, repeatable, all must hold
     */
    @GET
    public Response active(@QueryParam("state") String state, @QueryParam("severity") String severity,
                           @QueryParam("rule") String rule, @QueryParam("label") List<String> labels) throws SQLException {
        List<String> states = state == null || state.isBlank() ? List.of("firing", "nodata") : List.of(state.split(","));
        for (String s : states) {
            if (!STATES.contains(s) || s.equals("resolved")) {
                return RulesResource.error(Response.Status.BAD_REQUEST, "state: \"" + s
                        + "\" is not an active state; use pending, firing or nodata (resolved alerts are in /api/v1/alerts/history)");
            }
        }
        if (severity != null && !severity.equals("normal") && !severity.equals("severe")) {
            return RulesResource.error(Response.Status.BAD_REQUEST, "severity: must be normal or severe, got \"" + severity + "\"");
        }
        Map<String, String> match;
        try {
            match = labelFilter(labels);
        } catch (IllegalArgumentException e) {
            return RulesResource.error(Response.Status.BAD_REQUEST, e.getMessage());
        }
        var out = new ArrayList<Map<String, Object>>();
        try (var c = dataSource.getConnection(); var st = c.prepareStatement("""
                SELECT fingerprint, rule, state, severity, labels, annotations, value, active_at, fired_at, last_seen,
                       updated_at, query
                FROM vigil_alerts
                WHERE state = ANY (?) AND (?::text IS NULL OR severity = ?) AND (?::text IS NULL OR rule = ?) AND labels @> ?::jsonb
                ORDER BY CASE severity WHEN 'severe' THEN 0 ELSE 1 END, active_at, fingerprint""")) {
            st.setArray(1, c.createArrayOf("text", states.toArray()));
            st.setString(2, severity);
            st.setString(3, severity);
            st.setString(4, rule);
            st.setString(5, rule);
            st.setString(6, JSON.writeValueAsString(match));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    var a = common(rs);
                    a.put("lastSeen", instant(rs, "last_seen"));
                    a.put("updatedAt", instant(rs, "updated_at"));
                    a.put("query", rs.getString("query"));
                    a.put("graph", graph(rs.getString("query"), instant(rs, "active_at"), null));
                    out.add(a);
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return Response.ok(Map.of("alerts", out)).build();
    }

    /**
     * @param since ISO-8601 instant or a duration back from now ({@code 24h}); default 24h
     */
    @GET
    @Path("history")
    public Response history(@QueryParam("fingerprint") String fingerprint, @QueryParam("rule") String rule,
                            @QueryParam("label") List<String> labels, @QueryParam("since") String since,
                            @QueryParam("until") String until, @QueryParam("limit") Integer limit) throws SQLException {
        Instant from;
        Instant to;
        Map<String, String> match;
        try {
            from = time(since, "since", Instant.now().minus(Duration.ofHours(24)));
            to = time(until, "until", Instant.now().plusSeconds(1));
            match = labelFilter(labels);
        } catch (IllegalArgumentException e) {
            return RulesResource.error(Response.Status.BAD_REQUEST, e.getMessage());
        }
        int n = limit == null ? 500 : limit;
        if (n < 1 || n > MAX_LIMIT) {
            return RulesResource.error(Response.Status.BAD_REQUEST, "limit: must be 1.." + MAX_LIMIT + ", got " + n);
        }
        var out = new ArrayList<Map<String, Object>>();
        try (var c = dataSource.getConnection(); var st = c.prepareStatement("""
                SELECT id, fingerprint, rule, state, previous, severity, labels, annotations, value, active_at, fired_at,
                       resolved_at, at, query
                FROM vigil_alert_history
                WHERE at >= ? AND at < ? AND (?::text IS NULL OR fingerprint = ?) AND (?::text IS NULL OR rule = ?)
                  AND labels @> ?::jsonb
                ORDER BY id DESC LIMIT ?""")) {
            st.setTimestamp(1, Timestamp.from(from));
            st.setTimestamp(2, Timestamp.from(to));
            st.setString(3, fingerprint);
            st.setString(4, fingerprint);
            st.setString(5, rule);
            st.setString(6, rule);
            st.setString(7, JSON.writeValueAsString(match));
            st.setInt(8, n);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    var a = new LinkedHashMap<String, Object>();
                    a.put("eventId", rs.getLong("id"));
                    a.putAll(common(rs));
                    a.put("previous", rs.getString("previous"));
                    a.put("resolvedAt", instant(rs, "resolved_at"));
                    a.put("at", instant(rs, "at"));
                    a.put("query", rs.getString("query"));
                    a.put("graph", graph(rs.getString("query"), instant(rs, "active_at"), instant(rs, "resolved_at")));
                    out.add(a);
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return Response.ok(Map.of("events", out)).build();
    }

    /** The columns both tables share. */
    private static LinkedHashMap<String, Object> common(ResultSet rs) throws SQLException {
        var a = new LinkedHashMap<String, Object>();
        a.put("fingerprint", rs.getString("fingerprint"));
        a.put("rule", rs.getString("rule"));
        a.put("state", rs.getString("state"));
        a.put("severity", rs.getString("severity"));
        a.put("labels", map(rs.getString("labels")));
        a.put("annotations", map(rs.getString("annotations")));
        a.put("value", value(rs));
        a.put("activeAt", instant(rs, "active_at"));
        a.put("firedAt", instant(rs, "fired_at"));
        return a;
    }

    static Map<String, String> labelFilter(List<String> labels) {
        var match = new TreeMap<String, String>();
        if (labels != null) {
            for (String l : labels) {
                int eq = l.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("label: filters are name=value, got \"" + l + "\"");
                }
                match.put(l.substring(0, eq), l.substring(eq + 1));
            }
        }
        return match;
    }

    private static Instant time(String s, String field, Instant otherwise) {
        if (s == null || s.isBlank()) {
            return otherwise;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            Long ms = io.vigil.promql.PromDurations.parseMillis(s);
            if (ms == null) {
                throw new IllegalArgumentException(field + ": an ISO-8601 time (2026-11-22T03:00:00Z) or a duration back from now (24h), got \"" + s + "\"");
            }
            return Instant.now().minusMillis(ms);
        }
    }

    /** The alert's series from 30 minutes before it started to its end (or now), at a step that gives about 250 points. */
    static String graph(String query, Instant start, Instant end) {
        if (query == null || start == null) {
            return null;
        }
        long to = (end == null ? Instant.now() : end.plus(Duration.ofMinutes(10))).getEpochSecond();
        long span = to - start.minus(Duration.ofMinutes(30)).getEpochSecond();
        long step = Math.max(15, span / 250);
        // Steps run from start by step: start is placed so that the last step is the end itself, and
        // the graph's last point is the latest value, not one up to a step before it.
        long from = to - (span + step - 1) / step * step;
        return "/api/v1/query_range?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&start=" + from + "&end=" + to + "&step=" + step;
    }

    private static Map<String, String> map(String json) {
        try {
            return JSON.readValue(json, MAP);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored labels are not a JSON object: " + json, e);
        }
    }

    private static Double value(ResultSet rs) throws SQLException {
        double v = rs.getDouble("value");
        return rs.wasNull() || !Double.isFinite(v) ? null : v; // JSON has no NaN or infinity
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
