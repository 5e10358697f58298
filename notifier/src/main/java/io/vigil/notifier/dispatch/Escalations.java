package io.vigil.notifier.dispatch;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Escalations in PostgreSQL, and their acknowledgement. An acknowledgement is recorded with who and
 * how (api, link, sms, voice) and stops the paging of that group; it is idempotent in effect (a
 * second one is refused and says who acknowledged first).
 */
public final class Escalations {

    /** What an acknowledgement did. */
    public enum AckResult {
        ACKNOWLEDGED, ALREADY_ACKNOWLEDGED, ENDED, NOT_FOUND
    }

    public record Ack(AckResult result, Optional<Escalation> escalation) {
    }

    private static final String COLUMNS = "id, group_key, policy, started_at, cycle, level, next_at, paged_at, acked_at, acked_by,"
            + " ack_via, ended_at, end_reason";

    private final DataSource dataSource;

    public Escalations(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Starts paging a group that has none open; level 0 is due at once. */
    static void start(Connection c, String groupKey, String policy) throws SQLException {
        try (var ps = c.prepareStatement("INSERT INTO notifier_escalations (group_key, policy, next_at) VALUES (?, ?, now())"
                + " ON CONFLICT (group_key) WHERE ended_at IS NULL DO NOTHING")) {
            ps.setString(1, groupKey);
            ps.setString(2, policy);
            ps.executeUpdate();
        }
    }

    static void end(Connection c, String groupKey, String reason) throws SQLException {
        try (var ps = c.prepareStatement("UPDATE notifier_escalations SET ended_at = now(), end_reason = ?, next_at = NULL"
                + " WHERE group_key = ? AND ended_at IS NULL")) {
            ps.setString(1, reason);
            ps.setString(2, groupKey);
            ps.executeUpdate();
        }
    }

    /** Newest first; {@code openOnly}: those not ended (paging, exhausted or acknowledged while the group fires). */
    public List<Escalation> list(boolean openOnly, int limit) {
        return query("SELECT " + COLUMNS + " FROM notifier_escalations" + (openOnly ? " WHERE ended_at IS NULL" : "")
                + " ORDER BY id DESC LIMIT " + limit);
    }

    public Optional<Escalation> get(long id) {
        var found = query("SELECT " + COLUMNS + " FROM notifier_escalations WHERE id = " + id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    /** @param via api, link, sms or voice */
    public Ack acknowledge(long id, String by, String via) {
        try (Connection c = dataSource.getConnection();
             var ps = c.prepareStatement("UPDATE notifier_escalations SET acked_at = now(), acked_by = ?, ack_via = ?, next_at = NULL"
                     + " WHERE id = ? AND ended_at IS NULL AND acked_at IS NULL")) {
            ps.setString(1, by);
            ps.setString(2, via);
            ps.setLong(3, id);
            boolean done = ps.executeUpdate() == 1;
            Optional<Escalation> e = get(id);
            if (done) {
                return new Ack(AckResult.ACKNOWLEDGED, e);
            }
            if (e.isEmpty()) {
                return new Ack(AckResult.NOT_FOUND, e);
            }
            return new Ack(e.get().ackedAt() != null ? AckResult.ALREADY_ACKNOWLEDGED : AckResult.ENDED, e);
        } catch (SQLException e) {
            throw new DispatchException("cannot acknowledge escalation " + id + ": " + e.getMessage(), e);
        }
    }

    /** The escalation a page belongs to: the voice call's {@code <Gather>} names its outbox row. */
    public OptionalLong forOutboxRow(long outboxId) {
        return single("SELECT e.id FROM notification_outbox o JOIN notifier_escalations e ON e.id = (o.payload->'ack'->>'escalationId')::bigint"
                + " WHERE o.id = ?", outboxId, null);
    }

    /** The receiver an outbox row was for. */
    public Optional<String> receiverOfOutboxRow(long outboxId) {
        try (Connection c = dataSource.getConnection(); var ps = c.prepareStatement("SELECT receiver FROM notification_outbox WHERE id = ?")) {
            ps.setLong(1, outboxId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DispatchException("cannot read outbox row " + outboxId + ": " + e.getMessage(), e);
        }
    }

    /**
     * The escalation a reply is about: the newest open one that paged one of these receivers (those
     * with the phone number the reply came from), or exactly {@code id} when the reply names it and
     * it paged them.
     */
    public OptionalLong forReceivers(List<String> receivers, Long id) {
        if (receivers.isEmpty()) {
            return OptionalLong.empty();
        }
        String sql = "SELECT e.id FROM notification_outbox o JOIN notifier_escalations e ON e.id = (o.payload->'ack'->>'escalationId')::bigint"
                + " WHERE o.receiver = ANY (?) AND e.ended_at IS NULL" + (id == null ? " AND e.acked_at IS NULL" : " AND e.id = ?")
                + " ORDER BY o.id DESC LIMIT 1";
        return single(sql, receivers, id);
    }

    private OptionalLong single(String sql, Object first, Long second) {
        try (Connection c = dataSource.getConnection(); var ps = c.prepareStatement(sql)) {
            if (first instanceof List<?> l) {
                ps.setArray(1, c.createArrayOf("text", l.toArray()));
            } else {
                ps.setLong(1, (Long) first);
            }
            if (second != null) {
                ps.setLong(2, second);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw new DispatchException("cannot find the escalation of a reply: " + e.getMessage(), e);
        }
    }

    private List<Escalation> query(String sql) {
        try (Connection c = dataSource.getConnection(); var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            var out = new ArrayList<Escalation>();
            while (rs.next()) {
                out.add(new Escalation(rs.getLong(1), rs.getString(2), rs.getString(3), instant(rs.getTimestamp(4)), rs.getInt(5),
                        rs.getInt(6), instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8)), instant(rs.getTimestamp(9)),
                        rs.getString(10), rs.getString(11), instant(rs.getTimestamp(12)), rs.getString(13)));
            }
            return out;
        } catch (SQLException e) {
            throw new DispatchException("cannot read escalations: " + e.getMessage(), e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
