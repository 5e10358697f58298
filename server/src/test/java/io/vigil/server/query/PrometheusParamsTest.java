package io.vigil.server.query;

import io.vigil.promql.GoText;
import io.vigil.promql.BadQueryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrometheusParamsTest {

    @ParameterizedTest
    @CsvSource({
            "1435781451.781, 1435781451781",
            "1435781451, 1435781451000",
            "1435781451.7814, 1435781451781",
            "1.5e9, 1500000000000",
            "+12, 12000",
            ".5, 500",
            "0.0005, 1",
            "-0.0005, -1",
            "-1.5, -1500",
            "0x1p4, 16000",
            "2015-07-01T20:10:51.781Z, 1435781451781",
            "2015-07-01T20:10:51Z, 1435781451000",
            "2015-07-01T20:10:51.7819999Z, 1435781451781",
            "2015-07-01T22:10:51.781+02:00, 1435781451781",
            "2015-07-01T18:40:51.781-01:30, 1435781451781",
            "1969-12-31T23:59:59.5Z, -500",
    })
    void timesAreUnixSecondsOrRfc3339(String input, long expectedMillis) {
        assertThat(PrometheusParams.parseTime(input)).isEqualTo(expectedMillis);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "now", "1e400", "NaN", "Inf", "2015-07-01 20:10:51Z", "2015-07-01T20:10:51",
            "2015-02-30T00:00:00Z", "2015-07-01t20:10:51Z", "2015-07-01T20:10Z", " 12", "12s", "1_000", "1d"})
    void badTimes(String input) {
        assertThatThrownBy(() -> PrometheusParams.parseTime(input))
                .isInstanceOf(BadQueryException.class)
                .hasMessage("cannot parse " + GoText.quote(input) + " to a valid timestamp");
    }

    @ParameterizedTest
    @CsvSource({
            "15, 15000000000",
            "0.5, 500000000",
            "1.5555, 1555500000",
            "-1, -1000000000",
            "0, 0",
            "15s, 15000000000",
            "1m30s, 90000000000",
            "1h, 3600000000000",
            "500ms, 500000000",
            "1d, 86400000000000",
            "1w, 604800000000000",
            "1y, 31536000000000000",
            "2h45m10s5ms, 9910005000000",
    })
    void durationsAreFloatSecondsOrPrometheusDurations(String input, long expectedNanos) {
        assertThat(PrometheusParams.parseDurationNanos(input)).isEqualTo(expectedNanos);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1.5m", "5m1h", "-1s", "1s ", "1S", "300y"})
    void badDurations(String input) {
        assertThatThrownBy(() -> PrometheusParams.parseDurationNanos(input))
                .isInstanceOf(BadQueryException.class)
                .hasMessage("cannot parse " + GoText.quote(input) + " to a valid duration");
    }

    @Test
    void durationOverflowIsWordedLikePrometheus() {
        assertThatThrownBy(() -> PrometheusParams.parseDurationNanos("1e20"))
                .hasMessage("cannot parse \"1e20\" to a valid duration. It overflows int64");
    }
}
