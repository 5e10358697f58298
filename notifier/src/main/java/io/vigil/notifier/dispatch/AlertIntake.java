package io.vigil.notifier.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.AlertEvent;
import io.vigil.model.Labels;
import io.vigil.notifier.routing.Route;
import io.vigil.notifier.routing.RoutingConfig;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Takes alert events into the notifier's tables: the alert's latest state (an event older than the
 * one stored, or a redelivered one, changes nothing), and for a firing or no-data alert its
 * membership in the group of every route it matches. A change asks the group to flush: after
 * {@code group_wait} for a new group, else no sooner than {@code group_interval} after its last
 * flush. One transaction per batch, committed before the Kafka offsets are.
 */
public final class AlertIntake {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String UPSERT_ALERT = """
            INSERT INTO notifier_alerts AS a (fingerprint, event_id, rule, state, severity, labels, annotations, value,
                active_at, fired_at, resolved_at, changed_at, query)
            VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (fingerprint) DO UPDATE SET event_id = excluded.event_id, rule = excluded.rule, state = excluded.state,
                severity = excluded.severity, labels = excluded.labels, annotations = excluded.annotations, value = excluded.value,
                active_at = excluded.active_at, fired_at = excluded.fired_at, resolved_at = excluded.resolved_at,
                changed_at = excluded.changed_at, query = excluded.query, received_at = now()
            WHERE a.event_id < excluded.event_id
            RETURNING fingerprint""";

    /**
     * When a changed group flushes: a group that never flushed keeps its {@code group_wait} deadline
     * (alerts arriving meanwhile join the first notification); a notified one flushes now, but no
     * sooner than {@code group_interval} after its last flush.
     */
    private static final String WAKE = " CASE WHEN g.last_flush_at IS NULL THEN coalesce(g.next_flush_at, now())"
            + " ELSE least(coalesce(g.next_flush_at, 'infinity'),"
            + " greatest(now(), g.last_flush_at + g.group_interval_ms * interval '1 millisecond')) END ";

    private static final String UPSERT_GROUP = """
            INSERT INTO notifier_groups AS g (group_key, route_path, receivers, group_labels, group_interval_ms,
                repeat_interval_ms, send_resolved, next_flush_at)
            VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, now() + ? * interval '1 millisecond')
            ON CONFLICT (group_key) DO UPDATE SET receivers = excluded.receivers, group_interval_ms = excluded.group_interval_ms,
                repeat_interval_ms = excluded.repeat_interval_ms, send_resolved = excluded.send_resolved,
                next_flush_at =""" + WAKE;

    /** Wakes the groups an alert belongs to, except those it was just routed to (the upsert woke them). */
    private static final String WAKE_MEMBER_GROUPS = "UPDATE notifier_groups g SET next_flush_at =" + WAKE
            + "WHERE g.group_key IN (SELECT group_key FROM notifier_group_alerts WHERE fingerprint = ?) AND NOT (g.group_key = ANY (?))";

    private final DataSource dataSource;
    private final Supplier<RoutingConfig> routing;

    public AlertIntake(DataSource dataSource, Supplier<RoutingConfig> routing) {
        this.dataSource = dataSource;
        this.routing = routing;
    }

    /**
     * Stores the events in order; returns how many changed anything (redeliveries and stale events don't).
     *
     * @throws DispatchException when PostgreSQL fails; nothing of the batch is kept, so it can be retried whole
     */
    public int accept(List<AlertEvent> events) {
        if (events.isEmpty()) {
            return 0;
        }
        RoutingConfig config = routing.get();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (var upsertAlert = c.prepareStatement(UPSERT_ALERT);
                 var upsertGroup = c.prepareStatement(UPSERT_GROUP);
                 var join = c.prepareStatement("INSERT INTO notifier_group_alerts (group_key, fingerprint) VALUES (?, ?)"
                         + " ON CONFLICT DO NOTHING");
                 var leave = c.prepareStatement("DELETE FROM notifier_group_alerts WHERE fingerprint = ? AND NOT (group_key = ANY (?))");
                 var wake = c.prepareStatement(WAKE_MEMBER_GROUPS)) {
                int changed = 0;
                for (AlertEvent e : events) {
                    if (!store(upsertAlert, e)) {
                        continue;
                    }
                    changed++;
                    var keys = new ArrayList<String>();
                    if (e.state().isActive()) {
                        Labels labels = routingLabels(e);
                        for (Route r : config.tree().match(labels)) {
                            if (r.receivers().isEmpty()) {
                                continue;
                            }
                            String key = r.groupKey(labels);
                            keys.add(key);
                            upsertGroup(upsertGroup, r, key, labels);
                            join.setString(1, key);
                            join.setString(2, e.fingerprint());
                            join.executeUpdate();
                        }
                    }
                    // Groups it already belongs to look again: a resolution, or it left them (below).
                    wake.setString(1, e.fingerprint());
                    wake.setArray(2, c.createArrayOf("text", keys.toArray()));
                    wake.executeUpdate();
                    if (e.state().isActive()) {
                        // Re-routed (its severity escalated, or the routes changed): it leaves its old groups.
                        leave.setString(1, e.fingerprint());
                        leave.setArray(2, c.createArrayOf("text", keys.toArray()));
                        leave.executeUpdate();
                    }
                }
                c.commit();
                return changed;
            } catch (SQLException | RuntimeException ex) {
                c.rollback();
                throw ex;
            }
        } catch (SQLException ex) {
            throw new DispatchException("cannot store " + events.size() + " alert events: " + ex.getMessage(), ex);
        }
    }

    /** The labels routes, silences and inhibitions see: the alert's own, plus {@code severity} and {@code alertname}. */
    static Labels routingLabels(AlertEvent e) {
        var m = new TreeMap<>(e.labels());
        m.putIfAbsent("severity", e.severity().name().toLowerCase(Locale.ROOT));
        m.putIfAbsent("alertname", e.rule());
        return Labels.of(m);
    }

    private static boolean store(PreparedStatement ps, AlertEvent e) throws SQLException {
        ps.setString(1, e.fingerprint());
        ps.setLong(2, e.eventId());
        ps.setString(3, e.rule());
        ps.setString(4, e.state().wireName());
        ps.setString(5, e.severity().name().toLowerCase(Locale.ROOT));
        ps.setString(6, json(e.labels()));
        ps.setString(7, json(e.annotations()));
        if (e.value() == null || !Double.isFinite(e.value())) {
            ps.setNull(8, Types.DOUBLE);
        } else {
            ps.setDouble(8, e.value());
        }
        ps.setTimestamp(9, ts(e.activeAt()));
        ps.setTimestamp(10, ts(e.firedAt()));
        ps.setTimestamp(11, ts(e.resolvedAt()));
        ps.setTimestamp(12, ts(e.at()));
        ps.setString(13, e.query());
        try (var rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    private static void upsertGroup(PreparedStatement ps, Route r, String key, Labels labels) throws SQLException {
        ps.setString(1, key);
        ps.setString(2, r.path());
        ps.setArray(3, ps.getConnection().createArrayOf("text", r.receivers().toArray()));
        ps.setString(4, json(r.groupLabels(labels).asMap()));
        ps.setLong(5, r.groupInterval().toMillis());
        ps.setLong(6, r.repeatInterval().toMillis());
        ps.setBoolean(7, r.sendResolved());
        ps.setLong(8, r.groupWait().toMillis());
        ps.executeUpdate();
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("labels do not serialise", e);
        }
    }
}
