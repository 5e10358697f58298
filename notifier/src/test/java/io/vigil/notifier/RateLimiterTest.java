package io.vigil.notifier;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {

    @Test
    void allowsABurstThenRefillsPerReceiver() {
        var now = new AtomicLong();
        var limiter = new RateLimiter(3, Duration.ofSeconds(10), now::get);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire("alice")).isZero();
        }
        assertThat(limiter.tryAcquire("alice")).isEqualTo(Duration.ofSeconds(10));
        assertThat(limiter.tryAcquire("bob")).isZero();
        now.addAndGet(Duration.ofSeconds(4).toNanos());
        assertThat(limiter.tryAcquire("alice")).isEqualTo(Duration.ofSeconds(6));
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        assertThat(limiter.tryAcquire("alice")).isZero();
        assertThat(limiter.tryAcquire("alice")).isPositive();
        now.addAndGet(Duration.ofHours(1).toNanos());
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire("alice")).isZero();
        }
        assertThat(limiter.tryAcquire("alice")).isPositive();
    }
}
