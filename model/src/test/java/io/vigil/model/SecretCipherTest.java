package io.vigil.model;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretCipherTest {

    private static final Secret PASSWORD = Secret.of("pässw0rd-Very-Secret");
    private final SecretCipher cipher = SecretCipher.fromBase64(SecretCipher.newBase64Key());

    @Test
    void roundTripsAndNeverLeavesThePlaintextInTheSealedBytes() {
        byte[] sealed = cipher.encrypt("pay-db-1", PASSWORD);

        assertThat(cipher.decrypt("pay-db-1", sealed)).isEqualTo(PASSWORD);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("Very-Secret");
    }

    @Test
    void everyValueGetsItsOwnNonce() {
        assertThat(cipher.encrypt("pay-db-1", PASSWORD)).isNotEqualTo(cipher.encrypt("pay-db-1", PASSWORD));
    }

    @Test
    void aWrongKeyIsAClearErrorNamingTheTargetNotTheSecret() {
        byte[] sealed = cipher.encrypt("pay-db-1", PASSWORD);
        var other = SecretCipher.fromBase64(SecretCipher.newBase64Key());

        assertThatThrownBy(() -> other.decrypt("pay-db-1", sealed))
                .isInstanceOf(SecretCipher.DecryptionException.class)
                .hasMessageContaining("target pay-db-1")
                .hasMessageContaining("wrong vigil.secrets.key")
                .hasMessageNotContaining("Very-Secret");
    }

    @Test
    void tamperingIsDetected() {
        byte[] sealed = cipher.encrypt("pay-db-1", PASSWORD);
        sealed[sealed.length - 5] ^= 1;

        assertThatThrownBy(() -> cipher.decrypt("pay-db-1", sealed))
                .isInstanceOf(SecretCipher.DecryptionException.class)
                .hasMessageContaining("target pay-db-1");
        assertThatThrownBy(() -> cipher.decrypt("pay-db-1", new byte[5]))
                .hasMessageContaining("truncated");
    }

    @Test
    void aPasswordMovedToAnotherTargetDoesNotDecrypt() {
        byte[] sealed = cipher.encrypt("pay-db-1", PASSWORD);

        assertThatThrownBy(() -> cipher.decrypt("pay-db-2", sealed)).hasMessageContaining("target pay-db-2");
    }

    @Test
    void aMalformedKeyIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> SecretCipher.fromBase64("not base64 !!"))
                .hasMessage("vigil.secrets.key is not valid base64");
        assertThatThrownBy(() -> SecretCipher.fromBase64("c2hvcnQ="))
                .hasMessageContaining("32 bytes").hasMessageNotContaining("c2hvcnQ");
    }
}
