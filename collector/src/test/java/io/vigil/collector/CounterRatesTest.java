package io.vigil.collector;

import io.vigil.model.Sample;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CounterRatesTest {

    private final CounterRates rates = new CounterRates();

    @Test
    void counterBecomesAPerSecondRateFromTheSecondScrapeOn() {
        assertThat(rates.apply(List.of(Reading.counter("mysql_qps", 1000)), 10_000)).isEmpty();
        assertThat(rates.apply(List.of(Reading.counter("mysql_qps", 1500)), 15_000))
                .containsExactly(Sample.of("mysql_qps", 100.0));
    }

    @Test
    void aCounterThatGoesDownStartsANewRunInsteadOfANegativeRate() {
        rates.apply(List.of(Reading.counter("mysql_qps", 5000)), 0);
        assertThat(rates.apply(List.of(Reading.counter("mysql_qps", 20)), 5_000)).isEmpty();
        assertThat(rates.apply(List.of(Reading.counter("mysql_qps", 70)), 10_000))
                .containsExactly(Sample.of("mysql_qps", 10.0));
    }

    @Test
    void gaugesPassThroughAndAResetForgetsCounters() {
        rates.apply(List.of(Reading.counter("mysql_qps", 100)), 0);
        rates.reset();
        assertThat(rates.apply(List.of(Reading.counter("mysql_qps", 200), Reading.gauge("mysql_threads_running", 3)), 1_000))
                .containsExactly(Sample.of("mysql_threads_running", 3));
    }
}
