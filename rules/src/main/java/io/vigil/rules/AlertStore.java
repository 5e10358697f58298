package io.vigil.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Labels;
import io.vigil.model.Severity;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * Alerts in PostgreSQL: {@code vigil_alerts} holds each alert that is pending, firing or in no-data
 * (what a restarted or newly assigned rules instance takes over); {@code vigil_alert_history} holds
 * every change, and doubles as the outbox of {@code vigil.alerts}: a change is stored and its
 * event marked unpublished in one transaction, then published, so a crash in between delays an
 * event but never loses it.
 */
public final class AlertStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> MAP = new TypeReference<>() {
    };

    private final DataSource dataSource;

    public AlertStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void ensureSchema() throws SQLException {
        try (Connection c = dataSource.getConnection(); var st = c.createStatement()) {
            st.execute("""
                    CREATE TABLE IF NOT EXISTS vigil_alerts (
                      fingerprint      text PRIMARY KEY,
                      rule             text NOT NULL,
                      owner_partition  int NOT NULL,
                      identity         jsonb NOT NULL,
                      labels           jsonb NOT NULL,
                      annotations      jsonb NOT NULL,
                      state            text NOT NULL,
                      severity         text NOT NULL,
                      value            double precision,
                      active_at        timestamptz,
                      fired_at         timestamptz,
                      recovering_since timestamptz,
                      last_seen        timestamptz,
                      updated_at       timestamptz NOT NULL,
                      query            text NOT NULL)""");
            st.execute("""
                    CREATE TABLE IF NOT EXISTS vigil_alert_history (
                      id          bigserial PRIMARY KEY,
                      fingerprint text NOT NULL,
                      rule        text NOT NULL,
                      state       text NOT NULL,
                      previous    text,
                      severity    text NOT NULL,
                      labels      jsonb NOT NULL,
                      annotations jsonb NOT NULL,
                      value       double precision,
                      active_at   timestamptz,
                      fired_at    timestamptz,
                      resolved_at timestamptz,
                      at          timestamptz NOT NULL,
                      query       text NOT NULL,
                      published   boolean NOT NULL DEFAULT false)""");
            st.execute("CREATE INDEX IF NOT EXISTS vigil_alert_history_at ON vigil_alert_history (at)");
            st.execute("CREATE INDEX IF NOT EXISTS vigil_alert_history_fp ON vigil_alert_history (fingerprint, id)");
            st.execute("CREATE INDEX IF NOT EXISTS vigil_alert_history_unpublished ON vigil_alert_history (id) WHERE NOT published");
        }
    }

    /**
     * Records changes in order, in one transaction: the alert rows follow their latest state (a
     * resolved alert leaves {@code vigil_alerts}), and each change becomes an unpublished history row.
     */
    public void record(List<AlertSnapshot> changes, ToIntFunction<Labels> ownerPartition) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (var upsert = c.prepareStatement("""
                    INSERT INTO vigil_alerts (fingerprint, rule, owner_partition, identity, labels, annotations, state, severity,
                      value, active_at, fired_at, recovering_since, last_seen, updated_at, query)
                    VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (fingerprint) DO UPDATE SET rule = excluded.rule, owner_partition = excluded.owner_partition,
                      identity = excluded.identity, labels = excluded.labels, annotations = excluded.annotations,
                      state = excluded.state, severity = excluded.severity, value = excluded.value,
                      active_at = excluded.active_at, fired_at = excluded.fired_at,
                      recovering_since = excluded.recovering_since, last_seen = excluded.last_seen,
                      updated_at = excluded.updated_at, query = excluded.query""");
                 var delete = c.prepareStatement("DELETE FROM vigil_alerts WHERE fingerprint = ?");
                 var history = c.prepareStatement("""
                         INSERT INTO vigil_alert_history (fingerprint, rule, state, previous, severity, labels, annotations,
                           value, active_at, fired_at, resolved_at, at, query)
                         VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?)""")) {
                for (AlertSnapshot s : changes) {
                    if (s.state() == AlertState.RESOLVED) {
                        delete.setString(1, s.fingerprint());
                        delete.executeUpdate();
                    } else {
                        int i = 1;
                        upsert.setString(i++, s.fingerprint());
                        upsert.setString(i++, s.rule());
                        upsert.setInt(i++, ownerPartition.applyAsInt(s.identity()));
                        upsert.setString(i++, json(s.identity().asMap()));
                        upsert.setString(i++, json(s.labels().asMap()));
                        upsert.setString(i++, json(s.annotations()));
                        upsert.setString(i++, s.state().wireName());
                        upsert.setString(i++, s.severity().wireName());
                        setDouble(upsert, i++, s.value());
                        setTime(upsert, i++, s.activeAtMillis());
                        setTime(upsert, i++, s.firedAtMillis());
                        setTime(upsert, i++, s.recoveringSinceMillis());
                        setTime(upsert, i++, s.lastSeenMillis());
                        setTime(upsert, i++, s.atMillis());
                        upsert.setString(i, s.query());
                        // One statement per change, not a batch: a batch would apply all inserts before all deletes.
                        upsert.executeUpdate();
                    }
                    int i = 1;
                    history.setString(i++, s.fingerprint());
                    history.setString(i++, s.rule());
                    history.setString(i++, s.state().wireName());
                    history.setString(i++, s.previous() == null ? null : s.previous().wireName());
                    history.setString(i++, s.severity().wireName());
                    history.setString(i++, json(s.labels().asMap()));
                    history.setString(i++, json(s.annotations()));
                    setDouble(history, i++, s.value());
                    setTime(history, i++, s.activeAtMillis());
                    setTime(history, i++, s.firedAtMillis());
                    setTime(history, i++, s.resolvedAtMillis());
                    setTime(history, i++, s.atMillis());
                    history.setString(i, s.query());
                    history.addBatch();
                }
                history.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The stored alerts owned by these partitions, for an instance taking them over. */
    public List<AlertSnapshot> load(Collection<Integer> partitions) throws SQLException {
        var out = new ArrayList<AlertSnapshot>();
        if (partitions.isEmpty()) {
            return out;
        }
        try (Connection c = dataSource.getConnection(); var st = c.prepareStatement("""
                SELECT fingerprint, rule, identity, labels, annotations, state, severity, value, active_at, fired_at,
                       recovering_since, last_seen, updated_at, query
                FROM vigil_alerts WHERE owner_partition = ANY (?)""")) {
            st.setArray(1, c.createArrayOf("int4", partitions.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new AlertSnapshot(rs.getString(1), rs.getString(2), Labels.of(map(rs.getString(3))),
                            Labels.of(map(rs.getString(4))), AlertState.parse(rs.getString(6)), null,
                            Severity.parse(rs.getString(7)), doubleOrNull(rs, 8), map(rs.getString(5)),
                            millis(rs, 9), millis(rs, 10), 0, millis(rs, 11), millis(rs, 12), millis(rs, 13), rs.getString(14)));
                }
            }
        }
        return out;
    }

    /** Up to {@code limit} changes not yet published, oldest first. */
    public List<AlertEvent> unpublished(int limit) throws SQLException {
        var out = new ArrayList<AlertEvent>();
        try (Connection c = dataSource.getConnection(); var st = c.prepareStatement("""
                SELECT id, fingerprint, rule, state, previous, severity, labels, annotations, value, active_at, fired_at,
                       resolved_at, at, query
                FROM vigil_alert_history WHERE NOT published ORDER BY id LIMIT ?""")) {
            st.setInt(1, limit);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(event(rs));
                }
            }
        }
        return out;
    }

    public void markPublished(Collection<Long> ids) throws SQLException {
        try (Connection c = dataSource.getConnection();
             var st = c.prepareStatement("UPDATE vigil_alert_history SET published = true WHERE id = ANY (?)")) {
            st.setArray(1, c.createArrayOf("int8", ids.toArray()));
            st.executeUpdate();
        }
    }

    /** Drops history older than {@code before}; returns how many rows went. */
    public int pruneHistory(Instant before) throws SQLException {
        try (Connection c = dataSource.getConnection();
             var st = c.prepareStatement("DELETE FROM vigil_alert_history WHERE at < ? AND published")) {
            st.setTimestamp(1, Timestamp.from(before));
            return st.executeUpdate();
        }
    }

    static AlertEvent event(ResultSet rs) throws SQLException {
        String previous = rs.getString("previous");
        return new AlertEvent(rs.getLong("id"), rs.getString("fingerprint"), rs.getString("rule"),
                AlertState.parse(rs.getString("state")), previous == null ? null : AlertState.parse(previous),
                Severity.parse(rs.getString("severity")), map(rs.getString("labels")), map(rs.getString("annotations")),
                doubleOrNull(rs, "value"), instant(rs, "active_at"), instant(rs, "fired_at"), instant(rs, "resolved_at"),
                instant(rs, "at"), rs.getString("query"));
    }

    static String json(Map<String, String> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }

    static Map<String, String> map(String json) {
        try {
            return JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored labels are not a JSON object of strings: " + json, e);
        }
    }

    private static void setDouble(PreparedStatement st, int i, Double v) throws SQLException {
        if (v == null) {
            st.setNull(i, Types.DOUBLE);
        } else {
            st.setDouble(i, v);
        }
    }

    private static void setTime(PreparedStatement st, int i, long millis) throws SQLException {
        if (millis == 0) {
            st.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            st.setTimestamp(i, new Timestamp(millis));
        }
    }

    private static long millis(ResultSet rs, int i) throws SQLException {
        Timestamp t = rs.getTimestamp(i);
        return t == null ? 0 : t.getTime();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Double doubleOrNull(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }

    private static Double doubleOrNull(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }
}
