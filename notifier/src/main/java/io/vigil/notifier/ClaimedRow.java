package io.vigil.notifier;

import java.time.Instant;
import java.util.UUID;

/**
 * A row this worker holds under {@code leaseToken}. {@code recovered}: the row was {@code sending}
 * under someone else's expired lease, started at {@code previousSendingSince}, so an earlier attempt
 * may have reached the provider.
 */
record ClaimedRow(long id, String idempotencyKey, ChannelKind channel, String receiver, String payload, int attempts,
                  UUID leaseToken, boolean recovered, Instant previousSendingSince) {
}
