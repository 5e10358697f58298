package io.vigil.notifier;

import java.net.http.HttpClient;
import java.time.Duration;

/** Timeouts for the HTTP channels; the request timeout must stay well under the outbox lease. */
public record HttpTimeouts(Duration connect, Duration request) {

    public static final HttpTimeouts DEFAULT = new HttpTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(15));

    HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(connect).followRedirects(HttpClient.Redirect.NEVER).build();
    }
}
