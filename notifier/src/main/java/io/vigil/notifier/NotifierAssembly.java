package io.vigil.notifier;

import io.vigil.model.Secret;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Turns {@link NotifierConfig} into the plain objects: channels, receivers, worker settings. */
final class NotifierAssembly {

    private NotifierAssembly() {
    }

    static Channels channels(NotifierConfig config) {
        var renderer = new MessageRenderer(ZoneId.of(config.timeZone()));
        var timeouts = new HttpTimeouts(config.http().connectTimeout(), config.http().requestTimeout());
        var list = new ArrayList<Channel>();
        var t = config.twilio();
        if (t.accountSid().isPresent() && t.authToken().isPresent() && t.fromNumber().isPresent()) {
            var settings = new TwilioSettings(t.accountSid().get(), t.authToken().get(), t.fromNumber().get(), t.voiceAckUrl(), t.apiBaseUrl());
            list.add(new TwilioSmsChannel(settings, renderer));
            list.add(new TwilioVoiceChannel(settings, renderer));
        }
        var s = config.smtp();
        if (s.host().isPresent()) {
            list.add(new MailChannel(new SmtpSettings(s.host().get(), s.port(), s.starttls(), s.user(),
                    s.password().orElse(Secret.NONE), s.from(), s.timeout()), renderer));
        }
        list.add(new WeChatWorkChannel(config.wechat().baseUrl(), timeouts, renderer));
        list.add(new WebhookChannel(config.webhook().secret().orElse(Secret.NONE), timeouts, renderer));
        return new Channels(list);
    }

    static Receivers receivers(NotifierConfig config) {
        Map<String, Receiver> byName = config.receivers().entrySet().stream().collect(Collectors.toUnmodifiableMap(
                Map.Entry::getKey, e -> receiver(e.getKey(), e.getValue())));
        return name -> Optional.ofNullable(byName.get(name));
    }

    static Receiver receiver(String name, NotifierConfig.ReceiverConfig c) {
        List<ChannelKind> kinds = c.channels().stream().map(ChannelKind::of).toList();
        return new Receiver(name, Language.of(c.language()), kinds, c.phone().orElse(null), c.email().orElse(null),
                c.wechatKey().orElse(Secret.NONE), c.webhookUrl().orElse(null),
                WebhookFormat.valueOf(c.webhookFormat().trim().toUpperCase(Locale.ROOT)), c.webhookSecret().orElse(Secret.NONE));
    }

    static WorkerSettings worker(NotifierConfig config) {
        var r = config.retry();
        var w = config.worker();
        return new WorkerSettings(w.batchSize(), w.lease(), w.pollInterval(),
                new RetryPolicy(r.maxAttempts(), r.initialBackoff(), r.maxBackoff(), r.jitter()));
    }

    static RateLimiter rateLimiter(NotifierConfig config) {
        return new RateLimiter(config.rateLimit().burst(), config.rateLimit().refillEvery(), System::nanoTime);
    }
}
