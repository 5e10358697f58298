package io.vigil.notifier;

import java.time.Instant;

/** One outbox row as the delivery log shows it. {@code note} explains an uncertain outcome. */
public record DeliveryRecord(long id, String idempotencyKey, ChannelKind channel, String receiver, OutboxStatus status,
                             int attempts, String providerId, String lastError, String note, Instant createdAt,
                             Instant updatedAt) {
}
