package io.vigil.notifier;

/** A provider accepted the notification; {@code providerId} is its id (Twilio SID, Message-ID…) or null when it gives none. */
public record DeliveryResult(String providerId) {

    public static DeliveryResult none() {
        return new DeliveryResult(null);
    }
}
