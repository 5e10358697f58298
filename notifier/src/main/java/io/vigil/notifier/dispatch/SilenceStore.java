package io.vigil.notifier.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.LabelMatcher;
import io.vigil.notifier.routing.Matchers;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Silences in PostgreSQL, shared by every notifier and API instance. Expiring sets the end to now:
 * the silence stays listed, as Alertmanager keeps it, so an auditor can see who muted what and when.
 * Creating or expiring one asks the groups with active alerts to look again at once.
 */
public final class SilenceStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Expired silences are kept this long for the record. */
    static final String RETENTION = "30 days";

    private final DataSource dataSource;

    public SilenceStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Silence create(List<LabelMatcher> matchers, Instant startsAt, Instant endsAt, String createdBy, String comment) {
        UUID id = UUID.randomUUID();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (var ps = c.prepareStatement("INSERT INTO notifier_silences (id, matchers, starts_at, ends_at, created_by, comment)"
                    + " VALUES (?, ?::jsonb, ?, ?, ?, ?)")) {
                ps.setObject(1, id);
                ps.setString(2, JSON.writeValueAsString(matchers.stream().map(LabelMatcher::toString).toList()));
                ps.setTimestamp(3, Timestamp.from(startsAt));
                ps.setTimestamp(4, Timestamp.from(endsAt));
                ps.setString(5, createdBy);
                ps.setString(6, comment);
                ps.executeUpdate();
            }
            reconsiderGroups(c);
            c.commit();
        } catch (SQLException | JsonProcessingException e) {
            throw new DispatchException("cannot create silence: " + e.getMessage(), e);
        }
        return get(id).orElseThrow();
    }

    public Optional<Silence> get(UUID id) {
        var found = query("SELECT * FROM notifier_silences WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    /** Newest first. */
    public List<Silence> list() {
        return query("SELECT * FROM notifier_silences ORDER BY created_at DESC, id", null);
    }

    /** Silences in force now, read in the flusher's transaction. */
    static List<Silence> current(Connection c) throws SQLException {
        var out = new ArrayList<Silence>();
        try (var st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM notifier_silences WHERE ends_at > now() AND starts_at <= now()")) {
            while (rs.next()) {
                out.add(read(rs));
            }
        }
        return out;
    }

    /** Ends the silence now; false when there is no such silence or it had already ended. */
    public boolean expire(UUID id) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            int n;
            try (var ps = c.prepareStatement("UPDATE notifier_silences SET ends_at = greatest(now(), starts_at + interval '1 millisecond'),"
                    + " starts_at = least(starts_at, now()), updated_at = now() WHERE id = ? AND ends_at > now()")) {
                ps.setObject(1, id);
                n = ps.executeUpdate();
            }
            if (n > 0) {
                reconsiderGroups(c);
            }
            c.commit();
            return n > 0;
        } catch (SQLException e) {
            throw new DispatchException("cannot expire silence " + id + ": " + e.getMessage(), e);
        }
    }

    /** Drops silences that ended more than {@link #RETENTION} ago; returns how many. */
    public int prune() {
        try (Connection c = dataSource.getConnection(); var st = c.createStatement()) {
            return st.executeUpdate("DELETE FROM notifier_silences WHERE ends_at < now() - interval '" + RETENTION + "'");
        } catch (SQLException e) {
            throw new DispatchException("cannot prune silences: " + e.getMessage(), e);
        }
    }

    /** A new silence mutes, an expired one un-mutes: groups with firing alerts are flushed again now. */
    private static void reconsiderGroups(Connection c) throws SQLException {
        try (var st = c.createStatement()) {
            st.executeUpdate("UPDATE notifier_groups SET next_flush_at = now() WHERE next_flush_at > now()");
        }
    }

    private List<Silence> query(String sql, UUID id) {
        try (Connection c = dataSource.getConnection(); var ps = c.prepareStatement(sql)) {
            if (id != null) {
                ps.setObject(1, id);
            }
            var out = new ArrayList<Silence>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DispatchException("cannot read silences: " + e.getMessage(), e);
        }
    }

    private static Silence read(ResultSet rs) throws SQLException {
        List<String> texts;
        try {
            texts = JSON.readValue(rs.getString("matchers"), new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new SQLException("silence " + rs.getString("id") + " has unreadable matchers", e);
        }
        return new Silence(rs.getObject("id", UUID.class), Matchers.parseAll(texts), rs.getTimestamp("starts_at").toInstant(),
                rs.getTimestamp("ends_at").toInstant(), rs.getString("created_by"), rs.getString("comment"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }
}
