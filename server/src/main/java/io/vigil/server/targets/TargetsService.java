package io.vigil.server.targets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.collector.TargetRecordCodec;
import io.vigil.collector.TargetSecrets;
import io.vigil.collector.TargetValidator;
import io.vigil.model.SecretCipher;
import io.vigil.model.Target;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Target changes through the API: PostgreSQL is the record, {@code vigil.targets} tells the
 * collectors. Each change is published before the database transaction commits, so a change
 * Kafka refused is not stored either (the reverse — published, commit failed — is left for a
 * re-sync from the table; see the report).
 */
@ApplicationScoped
public class TargetsService {

    private static final Logger LOG = Logger.getLogger(TargetsService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TargetsTable table;
    private final TargetsPublisher publisher;
    private final TargetSecrets secrets;

    public TargetsService(TargetsTable table, TargetsPublisher publisher, TargetSecrets secrets) {
        this.table = table;
        this.publisher = publisher;
        this.secrets = secrets;
    }

    public List<ObjectNode> list() {
        try (Connection c = table.begin()) {
            try {
                return table.list(c).stream().map(TargetsService::view).toList();
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw unavailable("list", e);
        }
    }

    public ObjectNode get(String id) {
        try (Connection c = table.begin()) {
            try {
                return table.find(c, id, false).map(TargetsService::view).orElseThrow(() -> new TargetNotFoundException(id));
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw unavailable(id, e);
        }
    }

    public ObjectNode create(TargetRequest request) {
        Target target = request.target();
        byte[] sealed = seal(target);
        ObjectNode definition = TargetRecordCodec.definition(target);
        inTransaction(target.id(), c -> {
            if (!table.insert(c, target.id(), definition.toString(), sealed)) {
                throw new TargetExistsException(target.id());
            }
            publisher.publish(target.id(), TargetRecordCodec.encode(definition, sealed));
        });
        LOG.infof("target %s created through the API (%s %s)", target.id(), target.kind().id(), target.address());
        return get(target.id());
    }

    public ObjectNode update(TargetRequest request) {
        Target target = request.target();
        byte[] newSeal = request.passwordGiven() ? seal(target) : null;
        ObjectNode definition = TargetRecordCodec.definition(target);
        inTransaction(target.id(), c -> {
            var existing = table.find(c, target.id(), true).orElseThrow(() -> new TargetNotFoundException(target.id()));
            // No password in the body keeps the stored one: clients need not resend a secret they cannot read back.
            byte[] sealed = request.passwordGiven() ? newSeal : existing.passwordEncrypted();
            table.update(c, target.id(), definition.toString(), sealed);
            publisher.publish(target.id(), TargetRecordCodec.encode(definition, sealed));
        });
        LOG.infof("target %s updated through the API", target.id());
        return get(target.id());
    }

    public void delete(String id) {
        inTransaction(id, c -> {
            if (!table.delete(c, id)) {
                throw new TargetNotFoundException(id);
            }
            publisher.publish(id, null);
        });
        LOG.infof("target %s deleted through the API", id);
    }

    private byte[] seal(Target target) {
        if (target.password().isEmpty()) {
            return null;
        }
        SecretCipher cipher = secrets.cipher().orElseThrow(() -> new TargetProblemsException(target.id(), List.of(
                new TargetValidator.Problem("password", "cannot be stored: no encryption key is configured (" + SecretCipher.KEY_CONFIG
                        + " or VIGIL_SECRETS_KEY, base64 of 32 random bytes); Vigil never stores passwords in plaintext"))));
        return cipher.encrypt(target.id(), target.password());
    }

    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private void inTransaction(String id, Work work) {
        try (Connection c = table.begin()) {
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable(id, e);
        }
    }

    private static TargetsUnavailableException unavailable(String id, SQLException e) {
        // SQL never carries the password (only its ciphertext, as a bound parameter), so the message is safe to show.
        return new TargetsUnavailableException("target " + id + ": the targets store in PostgreSQL failed: " + e.getMessage());
    }

    private static ObjectNode view(TargetsTable.Row row) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(row.definitionJson());
            node.put("password_set", row.passwordEncrypted() != null);
            node.put("updated_at", row.updatedAt().toString());
            return node;
        } catch (IOException e) {
            throw new IllegalStateException("target " + row.id() + ": stored definition is not JSON", e);
        }
    }
}
