package io.vigil.notifier;

import java.time.Duration;

/**
 * {@code lease}: how long a claimed row stays ours; it must exceed the slowest channel's timeout, or
 * a slow but successful send would be recovered (and possibly resent) by another worker.
 */
public record WorkerSettings(int batchSize, Duration lease, Duration pollInterval, RetryPolicy retry) {

    public WorkerSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
    }
}
