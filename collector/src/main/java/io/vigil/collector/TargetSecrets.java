package io.vigil.collector;

import io.vigil.model.SecretCipher;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * The key that encrypts target passwords at rest and on Kafka: {@code vigil.secrets.key}, or the
 * environment variable {@code VIGIL_SECRETS_KEY} (the same setting, through MicroProfile Config's
 * environment mapping), base64 of 32 random bytes. Without it, targets with passwords are
 * refused rather than stored in plaintext.
 */
@ApplicationScoped
public class TargetSecrets {

    private final Optional<SecretCipher> cipher;

    public TargetSecrets(@ConfigProperty(name = SecretCipher.KEY_CONFIG) Optional<String> key) {
        // A malformed key fails here, at first use, with a message that never shows the key.
        this.cipher = key.filter(k -> !k.isBlank()).map(SecretCipher::fromBase64);
    }

    public Optional<SecretCipher> cipher() {
        return cipher;
    }
}
