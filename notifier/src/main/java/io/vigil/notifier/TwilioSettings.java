package io.vigil.notifier;

import io.vigil.model.Secret;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Twilio account and numbers. {@code voiceAckUrl} receives the digit pressed during a call;
 * {@code apiBaseUrl} replaces {@code https://api.twilio.com} (a forward proxy or a test stub), since the
 * SDK has no base-URL setting of its own.
 */
public record TwilioSettings(String accountSid, Secret authToken, String fromNumber, URI voiceAckUrl,
                             Optional<URI> apiBaseUrl) {

    public TwilioSettings {
        Objects.requireNonNull(accountSid, "accountSid");
        Objects.requireNonNull(authToken, "authToken");
        Objects.requireNonNull(fromNumber, "fromNumber");
        Objects.requireNonNull(voiceAckUrl, "voiceAckUrl");
        apiBaseUrl = apiBaseUrl == null ? Optional.empty() : apiBaseUrl;
    }
}
