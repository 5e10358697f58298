package io.vigil.notifier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.Secret;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * A JSON POST to the receiver's URL. The body is signed ({@code X-Vigil-Signature: sha256=<hex HMAC>})
 * with the receiver's secret, or the default one; {@code Idempotency-Key} carries the outbox key so the
 * receiving side can drop the duplicate an uncertain resend may produce.
 */
public final class WebhookChannel implements Channel {

    public static final String SIGNATURE_HEADER = "X-Vigil-Signature";
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    private final Secret defaultSecret;
    private final HttpTimeouts timeouts;
    private final HttpClient http;
    private final WebhookPayload payload;

    public WebhookChannel(Secret defaultSecret, HttpTimeouts timeouts, MessageRenderer renderer) {
        this.defaultSecret = defaultSecret;
        this.timeouts = timeouts;
        this.http = timeouts.client();
        this.payload = new WebhookPayload(renderer);
    }

    @Override
    public ChannelKind kind() {
        return ChannelKind.WEBHOOK;
    }

    @Override
    public boolean deduplicatesOnKey() {
        return true;
    }

    @Override
    public DeliveryResult deliver(Notification n) throws DeliveryException {
        URI url = n.receiver().webhookUrl();
        if (url == null) {
            throw DeliveryException.permanent(n, "receiver has no webhook URL", null);
        }
        String target = url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath());
        byte[] body = payload.render(n).getBytes(StandardCharsets.UTF_8);
        Secret secret = n.receiver().webhookSecret().isEmpty() ? defaultSecret : n.receiver().webhookSecret();
        var builder = HttpRequest.newBuilder(url).timeout(timeouts.request())
                .header("Content-Type", "application/json; charset=utf-8")
                .header(IDEMPOTENCY_HEADER, n.idempotencyKey())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!secret.isEmpty()) {
            builder.header(SIGNATURE_HEADER, signature(secret, body));
        }
        HttpResponse<String> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw HttpErrors.io(n, target, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeliveryException.retryable(n, "interrupted while posting to " + target, null);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return new DeliveryResult(response.headers().firstValue("X-Request-Id").orElse(null));
        }
        throw new DeliveryException(n.context() + ": POST " + target + " answered HTTP " + status + ": "
                + HttpErrors.abbreviate(response.body()), HttpErrors.retryableStatus(status), null);
    }

    /** {@code sha256=} and the lower-case hex HMAC-SHA256 of the exact body bytes. */
    public static String signature(Secret secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The two body shapes. */
    static final class WebhookPayload {

        private static final ObjectMapper JSON = new ObjectMapper();
        private final MessageRenderer renderer;

        WebhookPayload(MessageRenderer renderer) {
            this.renderer = renderer;
        }

        String render(Notification n) {
            return n.receiver().webhookFormat() == WebhookFormat.ZABBIX ? zabbix(n) : vigil(n);
        }

        private String vigil(Notification n) {
            ObjectNode root = AlertGroupJson.write(n.group());
            root.put("version", "1");
            root.put("receiver", n.receiver().name());
            root.put("idempotencyKey", n.idempotencyKey());
            root.put("status", n.group().status().name().toLowerCase(java.util.Locale.ROOT));
            root.put("severity", n.group().severity().name().toLowerCase(java.util.Locale.ROOT));
            return root.toString();
        }

        /**
         * Flat string fields, one event per group: Zabbix media-type scripts read {@code value.field}
         * without walking arrays. The first alert's labels appear as {@code label_<name>}.
         */
        private String zabbix(Notification n) {
            Message m = renderer.render(n.group(), n.receiver().language());
            Alert first = n.group().alerts().getFirst();
            ObjectNode root = JSON.createObjectNode();
            root.put("event_id", n.idempotencyKey());
            root.put("group_key", n.group().groupKey());
            root.put("status", n.group().status() == AlertStatus.FIRING ? "PROBLEM" : "OK");
            root.put("severity", n.group().severity() == Severity.SEVERE ? "High" : "Warning");
            root.put("subject", m.subject());
            root.put("message", m.text());
            root.put("alert_name", first.name());
            root.put("host", first.labels().get("instance") == null ? "" : first.labels().get("instance"));
            root.put("alert_count", String.valueOf(n.group().alerts().size()));
            root.put("starts_at", first.startsAt().toString());
            root.put("ends_at", first.endsAt() == null ? "" : first.endsAt().toString());
            root.put("graph_url", first.graphUrl() == null ? "" : first.graphUrl());
            first.labels().asMap().forEach((k, v) -> root.put("label_" + k, v));
            return root.toString();
        }
    }
}
