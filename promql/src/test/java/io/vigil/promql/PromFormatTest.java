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

    /** The fast paths give what the general formatting gives, over integers, plain decimals and arbitrary bit patterns. */
    @org.junit.jupiter.api.Test
    void fastPathsAgreeWithTheGeneralFormatting() {
        var random = new java.util.Random(20261205);
        for (int i = 0; i < 300_000; i++) {
            double v = switch (i % 5) {
                case 0 -> random.nextLong(-(1L << 54), 1L << 54);
                case 1 -> random.nextDouble() * 1e7 * (random.nextBoolean() ? 1 : -1);
                case 2 -> Math.round(random.nextDouble() * 1e6) / 1000.0;
                case 3 -> random.nextDouble() * Math.pow(10, random.nextInt(-12, 25));
                default -> Double.longBitsToDouble(random.nextLong());
            };
            if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
                continue;
            }
            assertThat(PromFormat.value(v)).as("%s", v).isEqualTo(PromFormat.general(v));
        }
        for (double edge : new double[]{1e-3, Math.nextDown(1e-3), 1e7, Math.nextDown(1e7), 9007199254740991.0, 9007199254740992.0,
                0.001, 0.0015, 9999999.5, 0.5, 1.5, 2.0, 1e15, 123456789012345.0}) {
            assertThat(PromFormat.value(edge)).as("%s", edge).isEqualTo(PromFormat.general(edge));
            assertThat(PromFormat.value(-edge)).as("%s", -edge).isEqualTo(PromFormat.general(-edge));
        }
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
