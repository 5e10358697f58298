package io.vigil.notifier.dispatch;

import io.vigil.notifier.AlertGroup;
import io.vigil.notifier.Outbox;
import io.vigil.notifier.Receiver;
import io.vigil.notifier.Receivers;
import io.vigil.notifier.oncall.EscalationPolicy;
import io.vigil.notifier.routing.RoutingConfig;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Pages the escalation levels that are due. Each page is an outbox row keyed by escalation, cycle
 * and level (written in the same transaction that advances the escalation, with its row locked SKIP
 * LOCKED), carrying the signed acknowledgement link; so a crash or a second instance neither skips
 * a level nor pages it twice. A group whose alerts are all silenced or inhibited is not paged; it
 * is looked at again a minute later.
 */
public final class EscalationStepper {

    private static final Logger LOG = Logger.getLogger(EscalationStepper.class);
    static final Duration MUTED_RECHECK = Duration.ofMinutes(1);

    private final DataSource dataSource;
    private final Supplier<RoutingConfig> routing;
    private final Receivers receivers;
    private final GroupReader reader;
    private final AckLinks links;

    public EscalationStepper(DataSource dataSource, Supplier<RoutingConfig> routing, Receivers receivers, String externalUrl,
                             AckLinks links) {
        this.dataSource = dataSource;
        this.routing = routing;
        this.receivers = receivers;
        this.reader = new GroupReader(externalUrl);
        this.links = links;
    }

    private record Due(long id, String groupKey, String policy, int cycle, int level) {
    }

    /** @return the pages queued */
    public int stepDue(int limit) {
        RoutingConfig config = routing.get();
        return Transactions.run(dataSource, "page escalations", c -> step(c, config, limit));
    }

    private int step(Connection c, RoutingConfig config, int limit) throws SQLException {
        var due = new ArrayList<Due>();
        try (var ps = c.prepareStatement("SELECT id, group_key, policy, cycle, level FROM notifier_escalations"
                + " WHERE ended_at IS NULL AND acked_at IS NULL AND next_at <= now() ORDER BY next_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    due.add(new Due(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5)));
                }
            }
        }
        if (due.isEmpty()) {
            return 0;
        }
        Instant now = GroupReader.dbNow(c);
        Muting muting = GroupReader.muting(c, config, now);
        int pages = 0;
        for (Due d : due) {
            EscalationPolicy policy = config.escalationPolicies().get(d.policy());
            if (policy == null) {
                LOG.warnf("notifier: escalation %d names policy %s, which is no longer configured; it ends", d.id(), d.policy());
                Escalations.end(c, d.groupKey(), "policy " + d.policy() + " removed");
                continue;
            }
            Optional<AlertGroup> group = reader.firingGroup(c, d.groupKey(), muting);
            if (group.isEmpty()) {
                if (!groupExists(c, d.groupKey())) {
                    Escalations.end(c, d.groupKey(), "resolved");
                } else {
                    reschedule(c, d, d.cycle(), d.level(), now.plus(MUTED_RECHECK), false);
                }
                continue;
            }
            if (d.cycle() > policy.repeat()) {
                // The last level's wait ran out too: nobody acknowledged. It stays open, and visible, as exhausted.
                reschedule(c, d, d.cycle(), d.level(), null, false);
                continue;
            }
            int levelIndex = Math.min(d.level(), policy.levels().size() - 1);
            EscalationPolicy.Level level = policy.levels().get(levelIndex);
            AlertGroup page = group.get().withAck(new AlertGroup.Ack(d.id(), links.url(d.id(), now)));
            String step = "e" + d.id() + "." + d.cycle() + "." + levelIndex;
            for (String name : config.resolve(level.targets(), now)) {
                Optional<Receiver> r = receivers.find(name);
                if (r.isEmpty() || r.get().channels().isEmpty()) {
                    LOG.warnf("notifier: escalation %d level %d names receiver %s, which is not configured; skipped", d.id(), levelIndex, name);
                    continue;
                }
                if (Outbox.enqueue(c, page, r.get(), step).isPresent()) {
                    pages++;
                }
            }
            int nextLevel = levelIndex + 1;
            int nextCycle = d.cycle();
            if (nextLevel == policy.levels().size()) {
                nextLevel = 0;
                nextCycle++;
            }
            reschedule(c, d, nextCycle, nextLevel, now.plus(level.escalateAfter()), true);
        }
        return pages;
    }

    private static void reschedule(Connection c, Due d, int cycle, int level, Instant next, boolean paged) throws SQLException {
        try (var ps = c.prepareStatement("UPDATE notifier_escalations SET cycle = ?, level = ?, next_at = ?,"
                + " paged_at = CASE WHEN ? THEN now() ELSE paged_at END WHERE id = ?")) {
            ps.setInt(1, cycle);
            ps.setInt(2, level);
            ps.setTimestamp(3, next == null ? null : Timestamp.from(next));
            ps.setBoolean(4, paged);
            ps.setLong(5, d.id());
            ps.executeUpdate();
        }
    }

    private static boolean groupExists(Connection c, String key) throws SQLException {
        try (var ps = c.prepareStatement("SELECT 1 FROM notifier_groups WHERE group_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
