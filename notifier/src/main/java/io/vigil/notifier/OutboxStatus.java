package io.vigil.notifier;

import java.util.Locale;

/**
 * pending: waiting for its time. sending: claimed under a lease, the provider may be being called.
 * sent: the provider accepted it. failed: given up on this channel (a failover row may follow).
 */
public enum OutboxStatus {
    PENDING, SENDING, SENT, FAILED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OutboxStatus of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
