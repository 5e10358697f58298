package io.vigil.model;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {

    @Test
    void parsesWhatOperatorsWrite() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5m");
    }

    @Test
    void rejectsWithTheText() {
        assertThatThrownBy(() -> Durations.parse("5 sec")).hasMessageContaining("'5 sec'");
        assertThatThrownBy(() -> Durations.parse("5")).hasMessageContaining("'5'");
        assertThatThrownBy(() -> Durations.parse("s")).hasMessageContaining("'s'");
    }
}
