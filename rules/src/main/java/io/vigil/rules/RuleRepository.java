package io.vigil.rules;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rules managed through {@code /api/v1/rules}, in PostgreSQL ({@code vigil_rules}): each row is
 * one rule's definition as it was submitted, validated before it is written. Every rules instance
 * polls {@link #version()} and reloads when it moves.
 */
public final class RuleRepository {

    public record StoredRule(String name, String definition, Instant updatedAt) {
    }

    private final DataSource dataSource;

    public RuleRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void ensureSchema() throws SQLException {
        try (Connection c = dataSource.getConnection(); var st = c.createStatement()) {
            st.execute("""
                    CREATE TABLE IF NOT EXISTS vigil_rules (
                      name       text PRIMARY KEY,
                      definition text NOT NULL,
                      updated_at timestamptz NOT NULL DEFAULT now())""");
            st.execute("CREATE SEQUENCE IF NOT EXISTS vigil_rules_version");
        }
    }

    public List<StoredRule> all() throws SQLException {
        var out = new ArrayList<StoredRule>();
        try (Connection c = dataSource.getConnection();
             var st = c.prepareStatement("SELECT name, definition, updated_at FROM vigil_rules ORDER BY name");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new StoredRule(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()));
            }
        }
        return out;
    }

    public Optional<StoredRule> get(String name) throws SQLException {
        try (Connection c = dataSource.getConnection();
             var st = c.prepareStatement("SELECT name, definition, updated_at FROM vigil_rules WHERE name = ?")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(new StoredRule(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()))
                        : Optional.empty();
            }
        }
    }

    /** Inserts or replaces; returns true when the rule is new. */
    public boolean put(String name, String definition) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            boolean created;
            try (var st = c.prepareStatement("""
                    INSERT INTO vigil_rules (name, definition, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at
                    RETURNING (xmax = 0)""")) {
                st.setString(1, name);
                st.setString(2, definition);
                st.setTimestamp(3, Timestamp.from(Instant.now()));
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    created = rs.getBoolean(1);
                }
            }
            bump(c);
            c.commit();
            return created;
        }
    }

    public boolean delete(String name) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            int n;
            try (var st = c.prepareStatement("DELETE FROM vigil_rules WHERE name = ?")) {
                st.setString(1, name);
                n = st.executeUpdate();
            }
            bump(c);
            c.commit();
            return n > 0;
        }
    }

    /** Moves on every change (a sequence, so a delete is seen too, unlike max(updated_at)). */
    public long version() throws SQLException {
        try (Connection c = dataSource.getConnection();
             var st = c.prepareStatement("SELECT last_value + (CASE WHEN is_called THEN 1 ELSE 0 END) FROM vigil_rules_version");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void bump(Connection c) throws SQLException {
        try (var st = c.prepareStatement("SELECT nextval('vigil_rules_version')")) {
            st.executeQuery().close();
        }
    }
}
