package io.vigil.notifier;

import java.util.Objects;

/**
 * One delivery to make: a group, to a receiver, over one channel. {@code outboxId} is 0 outside the
 * outbox; {@code idempotencyKey} is passed to providers that can deduplicate on it.
 */
public record Notification(long outboxId, String idempotencyKey, AlertGroup group, Receiver receiver, ChannelKind channel) {

    public Notification {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(channel, "channel");
    }

    /** "channel=sms receiver=oncall outbox=12": the context every error carries (no addresses, no secrets). */
    public String context() {
        return "channel=" + channel.id() + " receiver=" + receiver.name() + (outboxId > 0 ? " outbox=" + outboxId : "")
                + " group=" + group.groupKey();
    }
}
