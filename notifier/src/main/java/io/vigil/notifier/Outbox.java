package io.vigil.notifier;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The durable outbox in PostgreSQL. Times come from the database clock so that instances with skewed
 * clocks agree on what is due. Every write after a claim is fenced by the claim's lease token: a
 * worker whose lease expired and was taken over cannot overwrite the new owner's outcome.
 */
public final class Outbox {

    private final DataSource dataSource;

    public Outbox(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Queues a group for a receiver on its first channel. Idempotent: the same group, receiver and step
     * again is a no-op. Returns the new row's id, or empty when the key was already queued.
     */
    public OptionalLong enqueue(AlertGroup group, Receiver receiver, String step) {
        if (receiver.channels().isEmpty()) {
            throw new IllegalArgumentException("receiver " + receiver.name() + " has no channels");
        }
        return enqueue(IdempotencyKey.of(group.groupKey(), receiver.name(), step), receiver.channels().getFirst(),
                receiver.name(), AlertGroupJson.toJson(group));
    }

    /**
     * The same, inside the caller's transaction: the dispatcher records "notified" and queues the
     * notification atomically, so a crash between the two can neither lose nor double it.
     */
    public static OptionalLong enqueue(Connection c, AlertGroup group, Receiver receiver, String step) throws SQLException {
        if (receiver.channels().isEmpty()) {
            throw new IllegalArgumentException("receiver " + receiver.name() + " has no channels");
        }
        return enqueue(c, group, receiver, step, receiver.channels().getFirst());
    }

    /** On a given medium of the receiver's (a route that fans out over several media). */
    public static OptionalLong enqueue(Connection c, AlertGroup group, Receiver receiver, String step, ChannelKind channel)
            throws SQLException {
        return insert(c, IdempotencyKey.of(group.groupKey(), receiver.name(), step), channel, receiver.name(), AlertGroupJson.toJson(group));
    }

    OptionalLong enqueue(String key, ChannelKind channel, String receiver, String payload) {
        try (Connection c = dataSource.getConnection()) {
            return insert(c, key, channel, receiver, payload);
        } catch (SQLException e) {
            throw new OutboxException("cannot enqueue " + key + " on " + channel.id() + ": " + e.getMessage(), e);
        }
    }

    private static OptionalLong insert(Connection c, String key, ChannelKind channel, String receiver, String payload) throws SQLException {
        try (var ps = c.prepareStatement("INSERT INTO notification_outbox (idempotency_key, channel, receiver, payload)"
                + " VALUES (?, ?, ?, ?::jsonb) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id")) {
            ps.setString(1, key);
            ps.setString(2, channel.id());
            ps.setString(3, receiver);
            ps.setString(4, payload);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /**
     * Claims up to {@code limit} due rows: pending ones whose time has come and sending ones whose
     * lease expired. SKIP LOCKED lets concurrent workers take disjoint rows without waiting; the claim
     * commits before any provider is called, so a crash after it leaves a visible {@code sending} row.
     */
    List<ClaimedRow> claim(int limit, Duration lease) {
        UUID token = UUID.randomUUID();
        String sql = """
                WITH due AS (
                    SELECT id, status AS was, sending_since AS was_since FROM notification_outbox
                    WHERE status IN ('pending', 'sending') AND next_attempt_at <= now()
                    ORDER BY next_attempt_at, id
                    LIMIT ?
                    FOR UPDATE SKIP LOCKED)
                UPDATE notification_outbox o
                SET status = 'sending', attempts = o.attempts + 1, lease_token = ?,
                    next_attempt_at = now() + ? * interval '1 millisecond', sending_since = now(), updated_at = now()
                FROM due WHERE o.id = due.id
                RETURNING o.id, o.idempotency_key, o.channel, o.receiver, o.payload::text, o.attempts, due.was, due.was_since""";
        try (Connection c = dataSource.getConnection(); var ps = c.prepareStatement(sql)) {
            ps.setInt(1, limit);
            ps.setObject(2, token);
            ps.setLong(3, lease.toMillis());
            var rows = new ArrayList<ClaimedRow>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp wasSince = rs.getTimestamp(8);
                    rows.add(new ClaimedRow(rs.getLong(1), rs.getString(2), ChannelKind.of(rs.getString(3)), rs.getString(4),
                            rs.getString(5), rs.getInt(6), token, "sending".equals(rs.getString(7)),
                            wasSince == null ? null : wasSince.toInstant()));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new OutboxException("cannot claim due notifications: " + e.getMessage(), e);
        }
    }

    /** Returns false when the lease was lost (another worker owns the row now). */
    boolean markSent(ClaimedRow row, String providerId, String note) {
        return update(row, "status = 'sent', provider_id = ?, note = coalesce(?, note), last_error = NULL, lease_token = NULL",
                "mark sent", ps -> {
                    ps.setString(1, providerId);
                    ps.setString(2, note);
                    return 3;
                });
    }

    boolean retryLater(ClaimedRow row, Duration delay, String error, String note) {
        return update(row, "status = 'pending', next_attempt_at = now() + ? * interval '1 millisecond', last_error = ?,"
                + " note = coalesce(?, note), lease_token = NULL", "reschedule", ps -> {
                    ps.setLong(1, delay.toMillis());
                    ps.setString(2, error);
                    ps.setString(3, note);
                    return 4;
                });
    }

    /** Puts the row back without counting the attempt (rate limited: nothing was tried). */
    boolean defer(ClaimedRow row, Duration delay, String note) {
        return update(row, "status = 'pending', attempts = attempts - 1, next_attempt_at = now() + ? * interval '1 millisecond',"
                + " note = coalesce(?, note), lease_token = NULL", "defer", ps -> {
                    ps.setLong(1, delay.toMillis());
                    ps.setString(2, note);
                    return 3;
                });
    }

    /**
     * Gives up on the row's channel and, in the same transaction, queues the failover row (when there
     * is a next channel), so a crash cannot lose the page between the two.
     */
    boolean fail(ClaimedRow row, String error, Optional<ChannelKind> failoverTo) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean owned = update(c, row, "status = 'failed', last_error = ?, lease_token = NULL", ps -> {
                    ps.setString(1, error);
                    return 2;
                });
                if (owned && failoverTo.isPresent()) {
                    insert(c, IdempotencyKey.failover(row.idempotencyKey(), failoverTo.get()), failoverTo.get(),
                            row.receiver(), row.payload());
                }
                c.commit();
                return owned;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new OutboxException("cannot mark outbox row " + row.id() + " failed: " + e.getMessage(), e);
        }
    }

    /** The latest rows, newest first; {@code receiver} empty means all receivers. */
    public List<DeliveryRecord> recent(Optional<String> receiver, int limit) {
        String sql = "SELECT id, idempotency_key, channel, receiver, status, attempts, provider_id, last_error, note,"
                + " created_at, updated_at FROM notification_outbox"
                + (receiver.isPresent() ? " WHERE receiver = ?" : "") + " ORDER BY id DESC LIMIT ?";
        try (Connection c = dataSource.getConnection(); var ps = c.prepareStatement(sql)) {
            int i = 1;
            if (receiver.isPresent()) {
                ps.setString(i++, receiver.get());
            }
            ps.setInt(i, limit);
            var records = new ArrayList<DeliveryRecord>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    records.add(new DeliveryRecord(rs.getLong(1), rs.getString(2), ChannelKind.of(rs.getString(3)), rs.getString(4),
                            OutboxStatus.of(rs.getString(5)), rs.getInt(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            rs.getTimestamp(10).toInstant(), rs.getTimestamp(11).toInstant()));
                }
            }
            return records;
        } catch (SQLException e) {
            throw new OutboxException("cannot read the delivery log: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Binder {
        /** Binds the SET parameters and returns the next parameter index. */
        int bind(PreparedStatement ps) throws SQLException;
    }

    private boolean update(ClaimedRow row, String set, String what, Binder binder) {
        try (Connection c = dataSource.getConnection()) {
            return update(c, row, set, binder);
        } catch (SQLException e) {
            throw new OutboxException("cannot " + what + " outbox row " + row.id() + ": " + e.getMessage(), e);
        }
    }

    private static boolean update(Connection c, ClaimedRow row, String set, Binder binder) throws SQLException {
        try (var ps = c.prepareStatement("UPDATE notification_outbox SET " + set + ", updated_at = now()"
                + " WHERE id = ? AND status = 'sending' AND lease_token = ?")) {
            int i = binder.bind(ps);
            ps.setLong(i, row.id());
            ps.setObject(i + 1, row.leaseToken());
            return ps.executeUpdate() == 1;
        }
    }
}
