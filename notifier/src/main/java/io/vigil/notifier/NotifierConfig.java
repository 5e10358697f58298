package io.vigil.notifier;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.vigil.model.Secret;
import io.vigil.model.Topics;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code vigil.notifier.*}. A channel whose essentials are missing (no Twilio account, no SMTP host)
 * is simply not available; rows for it fail over to the receiver's next channel.
 */
@ConfigMapping(prefix = "vigil.notifier")
public interface NotifierConfig {

    Twilio twilio();

    Smtp smtp();

    Wechat wechat();

    Webhook webhook();

    Http http();

    @WithName("rate-limit")
    RateLimit rateLimit();

    Retry retry();

    Worker worker();

    /**
     * The routing file (route tree, inhibitions, time windows; see notifier/README.md). Absent: every
     * alert goes to every receiver, grouped by alert name and cluster, with the built-in inhibitions.
     */
    Optional<Path> routesFile();

    /** How users reach this Vigil: graph links in messages start with it. */
    @WithDefault("http://localhost:8080")
    String externalUrl();

    Dispatch dispatch();

    /** Time zone of the times shown in messages. */
    @WithDefault("UTC")
    String timeZone();

    /** Receivers by name: {@code vigil.notifier.receivers.oncall.phone=+8613800000000}. */
    Map<String, ReceiverConfig> receivers();

    interface Twilio {
        Optional<String> accountSid();

        /** Never logged: read into a {@link Secret}. */
        @WithConverter(SecretConverter.class)
        Optional<Secret> authToken();

        /** The Twilio number messages and calls come from, E.164. */
        Optional<String> fromNumber();

        /** Where Twilio posts the digit pressed during a call; {@code ?outbox=<id>} is appended. */
        @WithDefault("http://localhost:8080/api/v1/notifier/voice/ack")
        URI voiceAckUrl();

        /**
         * The inbound-message URL set for the Twilio number (replies to pages acknowledge them), exactly
         * as Twilio calls it: request signatures are checked against it.
         */
        @WithDefault("http://localhost:8080/api/v1/notifier/twilio/sms")
        URI smsReplyUrl();

        /** Replaces https://api.twilio.com, e.g. for an egress proxy. */
        Optional<URI> apiBaseUrl();
    }

    interface Smtp {
        Optional<String> host();

        @WithDefault("587")
        int port();

        /** Require STARTTLS (never send in clear when the server does not offer it). */
        @WithDefault("true")
        boolean starttls();

        /** Authenticate as this user; absent means no SMTP AUTH. */
        Optional<String> user();

        @WithConverter(SecretConverter.class)
        Optional<Secret> password();

        @WithDefault("vigil@localhost")
        String from();

        @WithDefault("10s")
        Duration timeout();
    }

    interface Wechat {
        @WithDefault("https://qyapi.weixin.qq.com")
        URI baseUrl();
    }

    interface Webhook {
        /** Signs bodies of receivers without a secret of their own. */
        @WithConverter(SecretConverter.class)
        Optional<Secret> secret();
    }

    interface Http {
        @WithDefault("5s")
        Duration connectTimeout();

        @WithDefault("15s")
        Duration requestTimeout();
    }

    interface RateLimit {
        /** Notifications a receiver may get at once. */
        @WithDefault("10")
        int burst();

        /** Then one more per this interval. */
        @WithDefault("30s")
        Duration refillEvery();
    }

    interface Retry {
        /** Attempts on one channel before failing over to the receiver's next. */
        @WithDefault("5")
        int maxAttempts();

        @WithDefault("10s")
        Duration initialBackoff();

        @WithDefault("10m")
        Duration maxBackoff();

        @WithDefault("0.2")
        double jitter();
    }

    interface Worker {
        @WithDefault("20")
        int batchSize();

        /** Longer than any channel timeout (HTTP request timeout, SMTP timeout, Twilio's 30 s). */
        @WithDefault("2m")
        Duration lease();

        @WithDefault("2s")
        Duration pollInterval();
    }

    interface Dispatch {
        /** The topic alert events arrive on. */
        @WithDefault(Topics.ALERTS)
        String topic();

        @WithDefault("vigil-notifier")
        String group();

        /** How often due groups are looked for when no event wakes the loop. */
        @WithDefault("1s")
        Duration pollInterval();
    }

    interface ReceiverConfig {
        /** zh-CN or en-US. */
        @WithDefault("en-US")
        String language();

        /** Failover order: sms, voice, mail, wechat, webhook. */
        List<String> channels();

        Optional<String> phone();

        Optional<String> email();

        @WithConverter(SecretConverter.class)
        Optional<Secret> wechatKey();

        Optional<URI> webhookUrl();

        /** vigil or zabbix. */
        @WithDefault("vigil")
        String webhookFormat();

        @WithConverter(SecretConverter.class)
        Optional<Secret> webhookSecret();
    }
}
