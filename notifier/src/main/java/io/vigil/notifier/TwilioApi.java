package io.vigil.notifier;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.TwilioRestClient;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.util.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Builds the SDK client for an account; one per channel, shared by its threads. The SDK's own
 * timeouts (30 s, times its internal retries of 5xx) could outlast the outbox lease, so they are
 * shortened: a call that hangs must fail well before another worker may take the row over.
 */
final class TwilioApi {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(15);

    /**
     * Apache HttpClient's header and wire logs print the {@code Authorization: Basic} header, i.e.
     * the account SID and auth token, at DEBUG. A debug session must not leak the token, so these two
     * loggers are held at INFO whatever the log configuration says. Strong references: JUL forgets
     * the level of a logger that is garbage collected.
     */
    private static final List<Logger> CREDENTIAL_LOGGERS = List.of(
            Logger.getLogger("org.apache.hc.client5.http.headers"),
            Logger.getLogger("org.apache.hc.client5.http.wire"));

    private TwilioApi() {
    }

    static TwilioRestClient client(TwilioSettings settings) {
        CREDENTIAL_LOGGERS.forEach(l -> l.setLevel(Level.INFO));
        var config = RequestConfig.custom()
                .setConnectTimeout(Timeout.of(CONNECT_TIMEOUT))
                .setResponseTimeout(Timeout.of(RESPONSE_TIMEOUT))
                .build();
        var http = settings.apiBaseUrl().<NetworkHttpClient>map(base -> new BaseUrlHttpClient(base, config))
                .orElseGet(() -> new NetworkHttpClient(config));
        return new TwilioRestClient.Builder(settings.accountSid(), settings.authToken().reveal()).httpClient(http).build();
    }
}
