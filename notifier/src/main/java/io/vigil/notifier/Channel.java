package io.vigil.notifier;

import java.time.Instant;

/** One delivery medium. Implementations are thread-safe: the worker delivers several rows at once. */
public interface Channel {

    ChannelKind kind();

    /** Sends the notification; returns once the provider accepted it. */
    DeliveryResult deliver(Notification notification) throws DeliveryException;

    /**
     * Called instead of trusting the outbox when a previous attempt's lease expired: the process died
     * (or hung) after marking the row {@code sending}, so the send may or may not have happened.
     * Channels whose provider can be asked answer from it; the default cannot tell.
     *
     * @param since when the expired attempt started; anything the provider accepted before cannot be it
     */
    default Recovery recover(Notification notification, Instant since) {
        return Recovery.UNKNOWN;
    }

    /** Whether the provider deduplicates on the idempotency key (a resend after an expired lease is then harmless). */
    default boolean deduplicatesOnKey() {
        return false;
    }
}
