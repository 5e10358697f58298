package io.vigil.rules.health;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The latest health of each cluster in PostgreSQL ({@code vigil_cluster_health}), for the API and
 * the wall, whichever rules instance computed it. A row that stops being refreshed is stale, and
 * readers must say so rather than show an old green.
 */
public final class HealthStore {

    /** A row with its age: {@code updatedAt} is when a rules instance last confirmed it. */
    public record Stored(ClusterHealth health, Instant updatedAt) {
    }

    private final DataSource dataSource;

    public HealthStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void ensureSchema() throws SQLException {
        try (Connection c = dataSource.getConnection(); var st = c.createStatement()) {
            st.execute("""
                    CREATE TABLE IF NOT EXISTS vigil_cluster_health (
                      cluster    text NOT NULL,
                      kind       text NOT NULL,
                      status     text NOT NULL,
                      reason     text NOT NULL,
                      members    int NOT NULL,
                      serving    int NOT NULL,
                      since      timestamptz NOT NULL,
                      updated_at timestamptz NOT NULL,
                      PRIMARY KEY (cluster, kind))""");
        }
    }

    /** Upserts; {@code since} moves only when the status changes. */
    public void save(List<ClusterHealth> health) throws SQLException {
        if (health.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); var st = c.prepareStatement("""
                INSERT INTO vigil_cluster_health (cluster, kind, status, reason, members, serving, since, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (cluster, kind) DO UPDATE SET status = excluded.status, reason = excluded.reason,
                  members = excluded.members, serving = excluded.serving, updated_at = excluded.updated_at,
                  since = CASE WHEN vigil_cluster_health.status = excluded.status THEN vigil_cluster_health.since ELSE excluded.since END""")) {
            for (ClusterHealth h : health) {
                var at = new Timestamp(h.atMillis());
                st.setString(1, h.cluster());
                st.setString(2, h.kind());
                st.setString(3, h.status().wireName());
                st.setString(4, h.reason());
                st.setInt(5, h.members());
                st.setInt(6, h.serving());
                st.setTimestamp(7, at);
                st.setTimestamp(8, at);
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    public List<Stored> all() throws SQLException {
        var out = new ArrayList<Stored>();
        try (Connection c = dataSource.getConnection();
             var st = c.prepareStatement("SELECT cluster, kind, status, reason, members, serving, since, updated_at "
                     + "FROM vigil_cluster_health ORDER BY cluster, kind");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                var h = new ClusterHealth(rs.getString(1), rs.getString(2), HealthStatus.valueOf(rs.getString(3).toUpperCase(Locale.ROOT)),
                        rs.getString(4), rs.getInt(5), rs.getInt(6), rs.getTimestamp(7).getTime());
                out.add(new Stored(h, rs.getTimestamp(8).toInstant()));
            }
        }
        return out;
    }
}
