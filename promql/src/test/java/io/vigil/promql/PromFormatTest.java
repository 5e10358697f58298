package io.vigil.promql;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PromFormatTest {

    @ParameterizedTest
    @CsvSource({
            "1435781451781, 1435781451.781",
            "1435781451000, 1435781451",
            "1435781451780, 1435781451.780",
            "1435781451005, 1435781451.005",
            "1435781451050, 1435781451.050",
            "5, 0.005",
            "0, 0",
            "-1500, -1.500",
            "-1000, -1",
    })
    void timestampsAreSecondsWithAThreeDigitFractionLikePrometheus(long millis, String expected) {
        assertThat(PromFormat.timestamp(millis)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "1, 1",
            "0.5, 0.5",
            "1234.5678, 1234.5678",
            "100, 100",
            "-2.5, -2.5",
            "0.1, 0.1",
            "1e20, 100000000000000000000",
            "1.2345678901234568e20, 123456789012345680000",
            "9.999999999999999e20, 999999999999999900000",
            "1e21, 1e+21",
            "1.5e21, 1.5e+21",
            "1e300, 1e+300",
            "1.7976931348623157e308, 1.7976931348623157e+308",
            "0.000001, 0.000001",
            "0.0000012345, 0.0000012345",
            "1e-7, 1e-07",
            "1.2345e-7, 1.2345e-07",
            "-1e-7, -1e-07",
            "4.9e-324, 5e-324",
            "1e-310, 1e-310",
            "123456789.123, 123456789.123",
            "0.30000000000000004, 0.30000000000000004",
            "9007199254740993, 9007199254740992",
    })
    void valuesAreFormattedLikeGoFormatFloatWithPrometheusCutoffs(double value, String expected) {
        assertThat(PromFormat.value(value)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void specialValues() {
        assertThat(PromFormat.value(Double.NaN)).isEqualTo("NaN");
        assertThat(PromFormat.value(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(PromFormat.value(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(PromFormat.value(0.0)).isEqualTo("0");
        assertThat(PromFormat.value(-0.0)).isEqualTo("-0");
        assertThat(PromFormat.value(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    }
}
