package io.vigil.notifier;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class WebhookChannelTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpStub stub;
    private WebhookChannel channel;

    @BeforeEach
    void start() throws Exception {
        stub = new HttpStub(r -> new HttpStub.Reply(202, "application/json", "{}", Map.of("X-Request-Id", "req-77")));
        channel = new WebhookChannel(Secret.of("default-secret"), new HttpTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)), Fixtures.RENDERER);
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private Receiver receiver(WebhookFormat format, Secret secret) {
        return Receiver.named("hook", Language.EN_US, ChannelKind.WEBHOOK)
                .withWebhook(URI.create(stub.baseUri() + "/hooks/vigil?team=dba"), format, secret);
    }

    /** Computed independently of the channel: what a receiving service would do. */
    private static String hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void postsSignedJsonWithTheIdempotencyKey() throws Exception {
        var n = Fixtures.notification(Fixtures.replicationLag("wh-1"), receiver(WebhookFormat.VIGIL, Secret.of("hook-secret")), ChannelKind.WEBHOOK);

        DeliveryResult result = channel.deliver(n);

        assertThat(result.providerId()).isEqualTo("req-77");
        var r = stub.requests().getFirst();
        assertThat(r.path()).isEqualTo("/hooks/vigil");
        assertThat(r.query()).containsEntry("team", "dba");
        assertThat(r.header("X-Vigil-Signature")).isEqualTo(hmac("hook-secret", r.body()));
        assertThat(r.header("Idempotency-Key")).isEqualTo(n.idempotencyKey());
        var json = JSON.readTree(r.body());
        assertThat(json.path("groupKey").asText()).isEqualTo("wh-1");
        assertThat(json.path("status").asText()).isEqualTo("firing");
        assertThat(json.path("severity").asText()).isEqualTo("severe");
        assertThat(json.path("alerts").get(0).path("labels").path("instance").asText()).isEqualTo("pay-2:3306");
        assertThat(json.path("alerts").get(0).path("annotations").path("summary").asText()).isEqualTo("replica 12 minutes behind");
        assertThat(AlertGroupJson.read(json)).isEqualTo(n.group());
    }

    @Test
    void defaultSecretSignsWhenTheReceiverHasNone() throws Exception {
        channel.deliver(Fixtures.notification(Fixtures.replicationLag("wh-2"), receiver(WebhookFormat.VIGIL, null), ChannelKind.WEBHOOK));
        var r = stub.requests().getFirst();
        assertThat(r.header("X-Vigil-Signature")).isEqualTo(hmac("default-secret", r.body()))
                .isNotEqualTo(hmac("other-secret", r.body()));
    }

    @Test
    void zabbixFormatIsFlat() throws Exception {
        channel.deliver(Fixtures.notification(Fixtures.replicationLag("wh-3"), receiver(WebhookFormat.ZABBIX, null), ChannelKind.WEBHOOK));
        var json = JSON.readTree(stub.requests().getFirst().body());
        json.properties().forEach(e -> assertThat(e.getValue().isValueNode()).as(e.getKey()).isTrue());
        assertThat(json.path("status").asText()).isEqualTo("PROBLEM");
        assertThat(json.path("severity").asText()).isEqualTo("High");
        assertThat(json.path("host").asText()).isEqualTo("pay-2:3306");
        assertThat(json.path("label_cluster").asText()).isEqualTo("pay");
        assertThat(json.path("subject").asText()).startsWith("[FIRING:1][SEVERE] MySqlReplicationLag");
    }

    @Test
    void serverErrorsRetryClientErrorsDoNot() {
        var n = Fixtures.notification(Fixtures.replicationLag("wh-4"), receiver(WebhookFormat.VIGIL, null), ChannelKind.WEBHOOK);
        stub.answer(r -> HttpStub.Reply.json(503, "{\"error\":\"busy\"}"));
        assertThat(catchThrowableOfType(DeliveryException.class, () -> channel.deliver(n)).retryable()).isTrue();
        stub.answer(r -> HttpStub.Reply.json(400, "{\"error\":\"bad\"}"));
        var e = catchThrowableOfType(DeliveryException.class, () -> channel.deliver(n));
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("channel=webhook receiver=hook", "HTTP 400").doesNotContain("default-secret");
    }
}
