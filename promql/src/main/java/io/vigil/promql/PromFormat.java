package io.vigil.promql;

import java.math.BigDecimal;

/**
 * Sample values and timestamps printed byte for byte as Prometheus' HTTP API prints them
 * ({@code util/jsonutil/marshal.go}), so that dashboards and golden files do not change when a
 * Prometheus data source is pointed at Vigil.
 */
public final class PromFormat {

    private PromFormat() {
    }

    /**
     * Milliseconds as JSON seconds: {@code 1435781451.781}, {@code 1435781451} when whole. Like
     * Prometheus, the fraction always has three digits ({@code .780}, {@code .005}).
     */
    public static String timestamp(long millis) {
        var sb = new StringBuilder(16);
        long t = millis;
        if (t < 0) {
            sb.append('-');
            t = -t; // Long.MIN_VALUE cannot occur: parameters are bounded far inside it
        }
        sb.append(t / 1000);
        long fraction = t % 1000;
        if (fraction != 0) {
            sb.append('.');
            if (fraction < 100) {
                sb.append('0');
            }
            if (fraction < 10) {
                sb.append('0');
            }
            sb.append(fraction);
        }
        return sb.toString();
    }

    /**
     * A sample value as Prometheus writes it: Go's {@code strconv.FormatFloat(v, 'f', -1, 64)},
     * switching to {@code 'e'} below 1e-6 and from 1e21 ({@code "1e-07"}, {@code "1e+21"}), and
     * {@code NaN}, {@code +Inf}, {@code -Inf}.
     */
    public static String value(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
        }
        double abs = Math.abs(v);
        // Fast paths for what most series hold; a query range renders one value per step and series.
        if (abs < EXACT_INTEGERS && v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        if (abs >= 1e-3 && abs < 1e7) {
            // Plain notation, and not an integer: Double.toString is then already the shortest (see shortestDecimal).
            return Double.toString(v);
        }
        return general(v);
    }

    /** 2^53: below it every integer is a double, and the digits of the long are the shortest decimal. */
    private static final double EXACT_INTEGERS = 9007199254740992.0;

    /** {@link #value} without its fast paths, for a finite non-zero value. */
    static String general(double v) {
        BigDecimal shortest = shortestDecimal(Math.abs(v));
        String sign = v < 0 ? "-" : "";
        double abs = Math.abs(v);
        if (abs < 1e-6 || abs >= 1e21) {
            return sign + exponentForm(shortest);
        }
        return sign + shortest.toPlainString();
    }

    /**
     * The shortest decimal that reads back as {@code v}, as Go's {@code -1} precision picks it.
     * Java's {@code Double.toString} is shortest too (JDK 19+), except that it never gives fewer
     * than two significant digits; the one-digit alternative is tried for that case.
     */
    private static BigDecimal shortestDecimal(double v) {
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        if (d.precision() == 2) {
            BigDecimal down = d.setScale(d.scale() - 1, java.math.RoundingMode.DOWN);
            BigDecimal up = d.setScale(d.scale() - 1, java.math.RoundingMode.UP);
            boolean downOk = down.signum() != 0 && down.doubleValue() == v;
            boolean upOk = up.doubleValue() == v;
            if (downOk && upOk) {
                BigDecimal exact = new BigDecimal(v);
                return exact.subtract(down).abs().compareTo(up.subtract(exact).abs()) <= 0 ? down.stripTrailingZeros() : up.stripTrailingZeros();
            } else if (downOk) {
                return down.stripTrailingZeros();
            } else if (upOk) {
                return up.stripTrailingZeros();
            }
        }
        return d;
    }

    /** Go's {@code 'e'} form: {@code d[.ddd]e±XX}, at least two exponent digits. */
    private static String exponentForm(BigDecimal d) {
        String digits = d.unscaledValue().toString();
        int exponent = digits.length() - 1 - d.scale();
        var sb = new StringBuilder(digits.length() + 6).append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        sb.append('e').append(exponent < 0 ? '-' : '+');
        int abs = Math.abs(exponent);
        if (abs < 10) {
            sb.append('0');
        }
        return sb.append(abs).toString();
    }
}
