package io.vigil.collector;

import io.vigil.model.Labels;
import io.vigil.model.Secret;
import io.vigil.model.SecretCipher;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetRecordCodecTest {

    private final SecretCipher cipher = SecretCipher.fromBase64(SecretCipher.newBase64Key());
    private final Target target = new Target("pay-db-1", TargetKind.MYSQL, "10.0.0.1:3306", "pay", "vigil", Secret.of("Hunter2-plain"),
            Duration.ofSeconds(15), Duration.ofSeconds(5), Labels.of("service", "pay"));

    private byte[] record(SecretCipher with) {
        return TargetRecordCodec.encode(TargetRecordCodec.definition(target), with.encrypt(target.id(), target.password()));
    }

    @Test
    void roundTripsWithTheEncryptedPasswordAndNoPlaintextOnTheWire() {
        byte[] value = record(cipher);

        assertThat(new String(value, StandardCharsets.UTF_8)).doesNotContain("Hunter2").contains("password_encrypted");
        assertThat(TargetRecordCodec.decode("pay-db-1", value, Optional.of(cipher))).isEqualTo(target);
    }

    @Test
    void aWrongKeyNamesTheTargetNotTheSecret() {
        var other = SecretCipher.fromBase64(SecretCipher.newBase64Key());

        assertThatThrownBy(() -> TargetRecordCodec.decode("pay-db-1", record(other), Optional.of(cipher)))
                .hasMessageContaining("target pay-db-1: cannot decrypt the password")
                .hasMessageNotContaining("Hunter2");
        assertThatThrownBy(() -> TargetRecordCodec.decode("pay-db-1", record(cipher), Optional.empty()))
                .hasMessageContaining("target pay-db-1: has an encrypted password but no key is configured");
    }

    @Test
    void invalidDefinitionsAreReportedByField() {
        byte[] value = "{\"id\":\"x\",\"kind\":\"mysql\",\"address\":\"nohost\",\"colour\":1}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> TargetRecordCodec.decode("x", value, Optional.of(cipher)))
                .hasMessageContaining("target x:")
                .hasMessageContaining("colour: unknown field")
                .hasMessageContaining("address: 'nohost' must be host:port");
    }
}
