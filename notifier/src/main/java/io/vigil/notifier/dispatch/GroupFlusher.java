package io.vigil.notifier.dispatch;

import io.vigil.model.Labels;
import io.vigil.notifier.Alert;
import io.vigil.notifier.AlertGroup;
import io.vigil.notifier.AlertStatus;
import io.vigil.notifier.ChannelKind;
import io.vigil.notifier.Outbox;
import io.vigil.notifier.Receiver;
import io.vigil.notifier.Receivers;
import io.vigil.notifier.routing.Route;
import io.vigil.notifier.routing.RoutingConfig;
import io.vigil.notifier.routing.TimeWindow;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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

    private final DataSource dataSource;
    private final Supplier<RoutingConfig> routing;
    private final Receivers receivers;
    private final GroupReader reader;

    /**
     * @param externalUrl how users reach this Vigil ({@code http://vigil.example:8080}); graph links in messages start with it
     */
    public GroupFlusher(DataSource dataSource, Supplier<RoutingConfig> routing, Receivers receivers, String externalUrl) {
        this.dataSource = dataSource;
        this.routing = routing;
        this.receivers = receivers;
        this.reader = new GroupReader(externalUrl);
    }

    private record GroupRow(String key, String routePath, List<String> receivers, Labels labels, Duration groupInterval,
                            Duration repeatInterval, boolean sendResolved, Instant lastNotifiedAt, String notifiedDigest, int seq) {
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
        return Transactions.run(dataSource, "flush alert groups", c -> flush(c, config, limit));
    }

    private Result flush(Connection c, RoutingConfig config, int limit) throws SQLException {
        List<GroupRow> due = lockDue(c, limit);
        if (due.isEmpty()) {
            return new Result(0, 0);
        }
        Instant now = GroupReader.dbNow(c);
        Muting muting = GroupReader.muting(c, config, now);
        int sent = 0;
        for (GroupRow g : due) {
            sent += flushGroup(c, config, g, muting, now);
        }
        return new Result(due.size(), sent);
    }

    private int flushGroup(Connection c, RoutingConfig config, GroupRow g, Muting muting, Instant now) throws SQLException {
        var included = new ArrayList<Alert>();
        // The notification's content, fingerprint → state: a repeat of the same content is not a change.
        var includedStates = new TreeMap<String, String>();
        var drop = new HashSet<String>();
        boolean firingLeft = false;
        boolean mutedFiring = false;
        List<GroupReader.Member> members = reader.members(c, g.key());
        for (GroupReader.Member m : members) {
            if (m.active()) {
                firingLeft = true;
                if (muting.reason(m.fingerprint(), m.routingLabels()).isPresent()) {
                    mutedFiring = true;
                    continue;
                }
                included.add(m.alert());
                includedStates.put(m.fingerprint(), m.alert().status().name());
            } else if ("firing".equals(m.notifiedState()) && g.sendResolved()) {
                included.add(m.alert());
                includedStates.put(m.fingerprint(), m.alert().status().name());
                drop.add(m.fingerprint());
            } else if (!m.state().equals("pending")) {
                drop.add(m.fingerprint());
            }
        }
        String digest = includedStates.toString();
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
                List<ChannelKind> media = route.map(r -> r.mediaFor(receiver.get().channels())).orElse(List.of(receiver.get().channels().getFirst()));
                for (ChannelKind medium : media) {
                    // One medium keeps the plain key; a fan-out names the medium in each row's key.
                    String key = media.size() == 1 ? step : step + "." + medium.id();
                    if (Outbox.enqueue(c, group, receiver.get(), key, medium).isPresent()) {
                        notifications++;
                    }
                }
            }
            markNotified(c, g.key(), includedStates.keySet(), drop);
            if (anyFiringIncluded && route.isPresent() && route.get().escalation() != null) {
                Escalations.start(c, g.key(), route.get().escalation());
            }
        } else if (!drop.isEmpty() && !blocked) {
            markNotified(c, g.key(), Set.of(), drop);
        }
        boolean anyLeft = members.size() > drop.size();
        if (!anyLeft) {
            try (var ps = c.prepareStatement("DELETE FROM notifier_groups WHERE group_key = ?")) {
                ps.setString(1, g.key());
                ps.executeUpdate();
            }
            Escalations.end(c, g.key(), "resolved");
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

    private static boolean outsideWindows(RoutingConfig config, Route route, Instant now) {
        for (TimeWindow w : config.windows(route.muteTimeWindows())) {
            if (w.contains(now)) {
                return true;
            }
        }
        List<TimeWindow> active = config.windows(route.activeTimeWindows());
        return !active.isEmpty() && active.stream().noneMatch(w -> w.contains(now));
    }

    private static void markNotified(Connection c, String key, Set<String> included, Set<String> drop) throws SQLException {
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
                            Labels.of(GroupReader.map(rs.getString(4))), Duration.ofMillis(rs.getLong(5)), Duration.ofMillis(rs.getLong(6)),
                            rs.getBoolean(7), last == null ? null : last.toInstant(), rs.getString(9), rs.getInt(10)));
                }
            }
            return out;
        }
    }
}
