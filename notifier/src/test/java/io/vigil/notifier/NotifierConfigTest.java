package io.vigil.notifier;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The mapping as Quarkus reads it (with Quarkus's duration syntax), and what it assembles. */
class NotifierConfigTest {

    private static NotifierConfig load(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(NotifierConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
        return config.getConfigMapping(NotifierConfig.class);
    }

    @Test
    void defaults() {
        var c = load(Map.of());
        assertThat(c.wechat().baseUrl()).isEqualTo(URI.create("https://qyapi.weixin.qq.com"));
        assertThat(c.smtp().port()).isEqualTo(587);
        assertThat(c.smtp().starttls()).isTrue();
        assertThat(c.retry().maxAttempts()).isEqualTo(5);
        assertThat(c.retry().initialBackoff()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.worker().lease()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.rateLimit().burst()).isEqualTo(10);
        assertThat(c.receivers()).isEmpty();
        // Without Twilio or SMTP settings only the HTTP channels exist.
        var channels = NotifierAssembly.channels(c);
        assertThat(channels.get(ChannelKind.SMS)).isEmpty();
        assertThat(channels.get(ChannelKind.MAIL)).isEmpty();
        assertThat(channels.get(ChannelKind.WECHAT)).isPresent();
    }

    @Test
    void secretsAreReadIntoMaskedSecretsAndReceiversAreAssembled() {
        var c = load(Map.ofEntries(
                Map.entry("vigil.notifier.twilio.account-sid", "AC123"),
                Map.entry("vigil.notifier.twilio.auth-token", "very-secret-token"),
                Map.entry("vigil.notifier.twilio.from-number", "+15005550006"),
                Map.entry("vigil.notifier.smtp.host", "smtp.example.com"),
                Map.entry("vigil.notifier.smtp.password", "mail-password"),
                Map.entry("vigil.notifier.retry.initial-backoff", "500ms"),
                Map.entry("vigil.notifier.receivers.li.language", "zh-CN"),
                Map.entry("vigil.notifier.receivers.li.channels", "voice,sms,wechat"),
                Map.entry("vigil.notifier.receivers.li.phone", "+8613900139000"),
                Map.entry("vigil.notifier.receivers.li.wechat-key", "robot-key"),
                Map.entry("vigil.notifier.receivers.zbx.channels", "webhook"),
                Map.entry("vigil.notifier.receivers.zbx.webhook-url", "https://zabbix.example.com/hook"),
                Map.entry("vigil.notifier.receivers.zbx.webhook-format", "zabbix")));

        assertThat(c.twilio().authToken()).hasValueSatisfying(s -> {
            assertThat(s.reveal()).isEqualTo("very-secret-token");
            assertThat(s.toString()).doesNotContain("very-secret-token");
        });
        assertThat(c.smtp().password().orElseThrow().toString()).isEqualTo("******");
        assertThat(c.retry().initialBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(NotifierAssembly.channels(c).get(ChannelKind.VOICE)).isPresent();

        var receivers = NotifierAssembly.receivers(c);
        var li = receivers.find("li").orElseThrow();
        assertThat(li.language()).isEqualTo(Language.ZH_CN);
        assertThat(li.channels()).containsExactly(ChannelKind.VOICE, ChannelKind.SMS, ChannelKind.WECHAT);
        assertThat(li.after(ChannelKind.VOICE)).contains(ChannelKind.SMS);
        assertThat(li.toString()).doesNotContain("robot-key");
        assertThat(receivers.find("zbx").orElseThrow().webhookFormat()).isEqualTo(WebhookFormat.ZABBIX);
        assertThat(NotifierAssembly.worker(c).retry().maxAttempts()).isEqualTo(5);
        assertThat(List.of(receivers.find("nobody"))).containsExactly(java.util.Optional.empty());
    }
}
