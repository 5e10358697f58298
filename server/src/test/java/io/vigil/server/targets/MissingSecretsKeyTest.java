package io.vigil.server.targets;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.collector.TargetSecrets;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Without vigil.secrets.key a password is refused before anything is stored or published. */
class MissingSecretsKeyTest {

    // No table and no publisher: the refusal must come before either is touched.
    private final TargetsService service = new TargetsService(null, null, new TargetSecrets(Optional.empty()));

    @Test
    void aTargetWithAPasswordIsRefusedNamingTheKeyAndNotThePassword() throws Exception {
        var body = new ObjectMapper().readTree("""
                {"id": "pay-db-1", "kind": "mysql", "address": "10.0.0.1:3306", "password": "Plain-Text-Pw"}""");

        assertThatThrownBy(() -> service.create(TargetRequest.parse(body, null)))
                .isInstanceOfSatisfying(TargetProblemsException.class, e -> {
                    assertThat(e.targetId()).isEqualTo("pay-db-1");
                    assertThat(e.problems()).singleElement().satisfies(p -> {
                        assertThat(p.field()).isEqualTo("password");
                        assertThat(p.message()).contains("no encryption key is configured (vigil.secrets.key or VIGIL_SECRETS_KEY");
                    });
                })
                .hasMessageNotContaining("Plain-Text-Pw");
    }

    @Test
    void aMalformedKeyStopsTheStartWithoutShowingTheKey() {
        assertThatThrownBy(() -> new TargetSecrets(Optional.of("dG9vLXNob3J0")))
                .hasMessageContaining("32 bytes").hasMessageNotContaining("dG9vLXNob3J0");
    }
}
