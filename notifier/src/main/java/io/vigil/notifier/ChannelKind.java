package io.vigil.notifier;

import java.util.Locale;

/** A delivery medium; the id is what the outbox's {@code channel} column and configuration use. */
public enum ChannelKind {
    SMS, VOICE, MAIL, WECHAT, WEBHOOK;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ChannelKind of(String id) {
        return valueOf(id.trim().toUpperCase(Locale.ROOT));
    }
}
