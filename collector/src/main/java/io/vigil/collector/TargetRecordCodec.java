package io.vigil.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.Durations;
import io.vigil.model.Secret;
import io.vigil.model.SecretCipher;
import io.vigil.model.Target;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A target definition as JSON: the fields of the YAML file without the password. On the
 * {@code vigil.targets} topic the value also carries {@code password_encrypted} (base64 of
 * nonce + AES-GCM ciphertext), so no plaintext password ever reaches Kafka.
 */
public final class TargetRecordCodec {

    public static final String PASSWORD_ENCRYPTED = "password_encrypted";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RECORD_FIELDS = recordFields();

    private TargetRecordCodec() {
    }

    private static Set<String> recordFields() {
        var fields = new HashSet<>(TargetValidator.DEFINITION_FIELDS);
        fields.add(PASSWORD_ENCRYPTED);
        return Set.copyOf(fields);
    }

    /** The definition without any password. */
    public static ObjectNode definition(Target target) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", target.id());
        node.put("kind", target.kind().id());
        node.put("address", target.address());
        if (target.cluster() != null && !target.cluster().isEmpty()) {
            node.put("cluster", target.cluster());
        }
        if (!target.user().isEmpty()) {
            node.put("user", target.user());
        }
        node.put("interval", Durations.format(target.interval()));
        node.put("timeout", Durations.format(target.timeout()));
        if (target.discover()) {
            node.put("discover", true);
        }
        ObjectNode labels = node.putObject("labels");
        target.labels().asMap().forEach(labels::put);
        return node;
    }

    /** The Kafka record value: the definition plus the already encrypted password, if any. */
    public static byte[] encode(ObjectNode definition, byte[] passwordEncrypted) {
        ObjectNode value = definition.deepCopy();
        if (passwordEncrypted != null) {
            value.put(PASSWORD_ENCRYPTED, Base64.getEncoder().encodeToString(passwordEncrypted));
        }
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write target definition " + definition.path("id").asText(), e);
        }
    }

    /**
     * Reads a record of {@code vigil.targets}.
     *
     * @throws InvalidTargetRecordException naming the target and each field when the value is not a valid definition,
     *                                      or its password cannot be decrypted
     */
    public static Target decode(String key, byte[] value, Optional<SecretCipher> cipher) {
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (IOException e) {
            throw new InvalidTargetRecordException("target " + key + ": record is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidTargetRecordException("target " + key + ": record is not a JSON object");
        }
        List<TargetValidator.Problem> problems = new ArrayList<>();
        TargetValidator.checkFields(node, RECORD_FIELDS, problems);
        if (!key.equals(TargetValidator.text(node, "id"))) {
            problems.add(new TargetValidator.Problem("id", "differs from the record key"));
        }
        Secret password = password(key, TargetValidator.text(node, PASSWORD_ENCRYPTED), cipher);
        Target target = TargetValidator.validate(node, TargetValidator.DEFAULT_INTERVAL, TargetValidator.DEFAULT_TIMEOUT, password, problems);
        if (!problems.isEmpty()) {
            throw new InvalidTargetRecordException("target " + key + ": " + String.join("; ", problems.stream().map(p -> p.render("")).toList()));
        }
        return target;
    }

    private static Secret password(String targetId, String base64, Optional<SecretCipher> cipher) {
        if (base64 == null) {
            return Secret.NONE;
        }
        if (cipher.isEmpty()) {
            throw new InvalidTargetRecordException("target " + targetId + ": has an encrypted password but no key is configured ("
                    + SecretCipher.KEY_CONFIG + " or VIGIL_SECRETS_KEY)");
        }
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new InvalidTargetRecordException("target " + targetId + ": " + PASSWORD_ENCRYPTED + " is not base64");
        }
        try {
            return cipher.get().decrypt(targetId, sealed);
        } catch (SecretCipher.DecryptionException e) {
            throw new InvalidTargetRecordException(e.getMessage());
        }
    }

    /** A {@code vigil.targets} record that cannot become a target. */
    public static final class InvalidTargetRecordException extends RuntimeException {
        public InvalidTargetRecordException(String message) {
            super(message);
        }
    }
}
