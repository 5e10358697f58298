package io.vigil.notifier;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: attempt n waits about {@code initial × 2^(n-1)}, capped at
 * {@code max}, spread by ±{@code jitter} so that retries after an outage do not arrive in lockstep.
 * After {@code maxAttempts} attempts on one channel the outbox fails over to the next.
 */
public record RetryPolicy(int maxAttempts, Duration initial, Duration max, double jitter) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1), got " + jitter);
        }
    }

    public Duration delay(int attempt, RandomGenerator random) {
        double base = initial.toMillis() * Math.pow(2, Math.max(0, attempt - 1));
        double capped = Math.min(base, max.toMillis());
        double spread = 1 + jitter * (2 * random.nextDouble() - 1);
        return Duration.ofMillis(Math.max(1, Math.round(capped * spread)));
    }
}
