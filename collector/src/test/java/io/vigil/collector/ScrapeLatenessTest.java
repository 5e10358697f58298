package io.vigil.collector;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScrapeLatenessTest {

    @Test
    void percentilesCoverTheMostRecentStartsOnly() {
        var lateness = new ScrapeLateness(100);
        for (int i = 1; i <= 100; i++) {
            lateness.record(i * 1_000_000L); // 1 … 100 ms
        }
        var s = lateness.snapshot();
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.p50Seconds()).isEqualTo(0.050);
        assertThat(s.p99Seconds()).isEqualTo(0.099);
        assertThat(s.maxSeconds()).isEqualTo(0.100);

        // 100 more, all on time: the late ones leave the window; an early start counts as on time.
        for (int i = 0; i < 100; i++) {
            lateness.record(-5_000_000L);
        }
        assertThat(lateness.snapshot().maxSeconds()).isZero();
        assertThat(lateness.snapshot().count()).isEqualTo(200);
        assertThat(new ScrapeLateness(10).snapshot().count()).isZero();
    }
}
