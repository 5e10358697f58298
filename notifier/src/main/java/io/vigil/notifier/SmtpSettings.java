package io.vigil.notifier;

import io.vigil.model.Secret;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The SMTP relay. {@code startTls}: upgrade with STARTTLS and refuse to send in clear when the server
 * does not offer it. {@code user} present means authenticate.
 */
public record SmtpSettings(String host, int port, boolean startTls, Optional<String> user, Secret password,
                           String from, Duration timeout) {

    public SmtpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(from, "from");
        user = user == null ? Optional.empty() : user.filter(u -> !u.isBlank());
        password = password == null ? Secret.NONE : password;
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
    }
}
