package io.vigil.notifier;

import io.vigil.model.Secret;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is notified and how. {@code channels} is the failover order: when the first keeps failing the
 * outbox moves the notification to the next. Addresses a channel does not need may be null.
 * The WeChat robot key and the webhook secret are secrets (the key alone lets anyone post to the group).
 */
public record Receiver(String name, Language language, List<ChannelKind> channels, String phone, String email,
                       Secret wechatKey, URI webhookUrl, WebhookFormat webhookFormat, Secret webhookSecret) {

    public Receiver {
        Objects.requireNonNull(name, "name");
        language = language == null ? Language.EN_US : language;
        channels = List.copyOf(channels);
        wechatKey = wechatKey == null ? Secret.NONE : wechatKey;
        webhookFormat = webhookFormat == null ? WebhookFormat.VIGIL : webhookFormat;
        webhookSecret = webhookSecret == null ? Secret.NONE : webhookSecret;
    }

    public static Receiver named(String name, Language language, ChannelKind... channels) {
        return new Receiver(name, language, List.of(channels), null, null, null, null, null, null);
    }

    public Receiver withPhone(String phone) {
        return new Receiver(name, language, channels, phone, email, wechatKey, webhookUrl, webhookFormat, webhookSecret);
    }

    public Receiver withEmail(String email) {
        return new Receiver(name, language, channels, phone, email, wechatKey, webhookUrl, webhookFormat, webhookSecret);
    }

    public Receiver withWechatKey(Secret key) {
        return new Receiver(name, language, channels, phone, email, key, webhookUrl, webhookFormat, webhookSecret);
    }

    public Receiver withWebhook(URI url, WebhookFormat format, Secret secret) {
        return new Receiver(name, language, channels, phone, email, wechatKey, url, format, secret);
    }

    /** The channel after {@code current} in the failover order, if any. */
    public Optional<ChannelKind> after(ChannelKind current) {
        int i = channels.indexOf(current);
        return i >= 0 && i + 1 < channels.size() ? Optional.of(channels.get(i + 1)) : Optional.empty();
    }
}
