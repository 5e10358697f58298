package io.vigil.server.targets;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code targets} table: the definition as jsonb without the password, the password only
 * encrypted (see {@link io.vigil.model.SecretCipher}). Writes take the caller's connection so
 * the caller can publish to Kafka before it commits.
 */
@ApplicationScoped
public class TargetsTable {

    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS targets (
                id text PRIMARY KEY,
                definition jsonb NOT NULL,
                password_encrypted bytea,
                updated_at timestamptz NOT NULL DEFAULT now())""";

    private final AgroalDataSource dataSource;
    // Created on first use, not at start: Vigil must start while the database is still down.
    private volatile boolean schemaReady;

    public TargetsTable(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One row; {@code passwordEncrypted} is null when the target has no password. */
    public record Row(String id, String definitionJson, byte[] passwordEncrypted, Instant updatedAt) {
    }

    /** A connection in a transaction, the schema in place. */
    public Connection begin() throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            if (!schemaReady) {
                try (Statement s = c.createStatement()) {
                    s.execute(SCHEMA);
                }
                schemaReady = true;
            }
            c.setAutoCommit(false);
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    public List<Row> list(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, definition::text, password_encrypted, updated_at FROM targets ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            var rows = new ArrayList<Row>();
            while (rs.next()) {
                rows.add(row(rs));
            }
            return rows;
        }
    }

    public Optional<Row> find(Connection c, String id, boolean forUpdate) throws SQLException {
        String sql = "SELECT id, definition::text, password_encrypted, updated_at FROM targets WHERE id = ?" + (forUpdate ? " FOR UPDATE" : "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** False when the id is taken. */
    public boolean insert(Connection c, String id, String definitionJson, byte[] passwordEncrypted) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO targets (id, definition, password_encrypted) VALUES (?, ?::jsonb, ?) ON CONFLICT (id) DO NOTHING")) {
            ps.setString(1, id);
            ps.setString(2, definitionJson);
            ps.setBytes(3, passwordEncrypted);
            return ps.executeUpdate() == 1;
        }
    }

    /** False when there is no such target. */
    public boolean update(Connection c, String id, String definitionJson, byte[] passwordEncrypted) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE targets SET definition = ?::jsonb, password_encrypted = ?, updated_at = now() WHERE id = ?")) {
            ps.setString(1, definitionJson);
            ps.setBytes(2, passwordEncrypted);
            ps.setString(3, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** False when there is no such target. */
    public boolean delete(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM targets WHERE id = ?")) {
            ps.setString(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getTimestamp(4).toInstant());
    }
}
