package io.vigil.notifier;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per receiver: bursts up to {@code capacity}, then one notification per
 * {@code refillEvery}. A flapping rule must not page someone sixty times a minute. The buckets live in
 * this process: with several notifier instances each enforces its own, so the effective rate is at
 * most instances × rate.
 */
public final class RateLimiter {

    private record Bucket(double tokens, long atNanos) {
    }

    private final int capacity;
    private final long refillNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new HashMap<>();

    public RateLimiter(int capacity, Duration refillEvery, LongSupplier nanoTime) {
        if (capacity < 1) {
            throw new IllegalArgumentException("rate limit capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.refillNanos = Math.max(1, refillEvery.toNanos());
        this.nanoTime = nanoTime;
    }

    /** Takes a token; returns zero when one was available, otherwise how long until one will be. */
    public synchronized Duration tryAcquire(String receiver) {
        long now = nanoTime.getAsLong();
        Bucket b = buckets.get(receiver);
        double tokens = b == null ? capacity : Math.min(capacity, b.tokens() + (double) (now - b.atNanos()) / refillNanos);
        if (tokens >= 1) {
            buckets.put(receiver, new Bucket(tokens - 1, now));
            return Duration.ZERO;
        }
        buckets.put(receiver, new Bucket(tokens, now));
        return Duration.ofNanos((long) Math.ceil((1 - tokens) * refillNanos));
    }
}
