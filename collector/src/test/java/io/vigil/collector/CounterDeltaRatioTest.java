package io.vigil.collector;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CounterDeltaRatioTest {

    private final CounterDeltaRatio ratio = new CounterDeltaRatio();

    @Test
    void theRatioIsOfTheIncreasesNotOfTheLifetimeTotals() {
        assertThat(ratio.update(1_000, 1_000_000)).isEmpty(); // one point is not an interval
        // 10 misses in 100 requests this interval, although the lifetime ratio is 0.1 %
        assertThat(ratio.update(1_010, 1_000_100)).hasValue(0.1);
    }

    @Test
    void aResetOfEitherCounterYieldsNothingForThatInterval() {
        ratio.update(50, 1_000);
        assertThat(ratio.update(60, 10)).isEmpty(); // denominator went down: FLUSH STATUS or restart
        assertThat(ratio.update(61, 20)).hasValue(0.1);
        assertThat(ratio.update(5, 30)).isEmpty(); // numerator went down
        assertThat(ratio.update(7, 50)).hasValue(0.1);
    }

    @Test
    void anIdleIntervalIsUndefinedNotZeroAndResetForgets() {
        ratio.update(5, 100);
        assertThat(ratio.update(5, 100)).isEmpty();
        ratio.reset();
        assertThat(ratio.update(6, 200)).isEmpty();
        assertThat(ratio.update(6, 300)).hasValue(0.0);
    }
}
