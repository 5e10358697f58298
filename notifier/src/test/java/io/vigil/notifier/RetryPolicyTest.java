package io.vigil.notifier;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

    @Test
    void backsOffExponentiallyWithinJitterUpToTheCap() {
        var policy = new RetryPolicy(8, Duration.ofSeconds(10), Duration.ofMinutes(5), 0.2);
        var random = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            assertThat(policy.delay(1, random)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(12));
            assertThat(policy.delay(3, random)).isBetween(Duration.ofSeconds(32), Duration.ofSeconds(48));
            assertThat(policy.delay(20, random)).isBetween(Duration.ofSeconds(240), Duration.ofSeconds(360));
        }
    }

    @Test
    void jitterSpreadsRetries() {
        var policy = new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofMinutes(5), 0.2);
        var random = new SplittableRandom(1);
        long distinct = java.util.stream.IntStream.range(0, 50).mapToObj(i -> policy.delay(2, random)).distinct().count();
        assertThat(distinct).isGreaterThan(30);
    }
}
