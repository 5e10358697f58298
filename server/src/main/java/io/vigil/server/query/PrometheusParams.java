package io.vigil.server.query;

import io.vigil.promql.GoText;
import io.vigil.promql.PromDurations;
import io.vigil.promql.BadQueryException;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time and duration parameters parsed as Prometheus' {@code web/api/v1/api.go} parses them
 * ({@code parseTime}, {@code parseDuration}), with the same error wording.
 */
public final class PrometheusParams {

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?");
    private static final Pattern HEX = Pattern.compile("[+-]?0[xX](?:[0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)[pP][+-]?\\d+");
    private static final Pattern INF = Pattern.compile("[+-]?(?i:inf|infinity)");
    private static final Pattern NAN = Pattern.compile("(?i:nan)");
    private static final Pattern RFC3339 = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(?:[.,](\\d+))?(?:Z|([+-])(\\d{2}):(\\d{2}))");
    // Times are kept within ±2^62 ms so that lookback and step arithmetic cannot overflow.
    private static final long MAX_ABS_MILLIS = 1L << 62;

    private PrometheusParams() {
    }

    /**
     * Unix seconds with an optional fraction (rounded to the millisecond, as Prometheus does) or
     * RFC 3339 ({@code 2015-07-01T20:10:51.781Z}), to epoch milliseconds.
     *
     * @throws BadQueryException {@code cannot parse "x" to a valid timestamp}
     */
    public static long parseTime(String s) {
        OptionalDouble f = parseGoFloat(s);
        if (f.isPresent()) {
            double t = f.getAsDouble();
            if (Double.isFinite(t) && Math.abs(t) < MAX_ABS_MILLIS / 1000.0) {
                return secondsToMillis(t);
            }
        } else {
            Long millis = parseRfc3339(s);
            if (millis != null && Math.abs(millis) < MAX_ABS_MILLIS) {
                return millis;
            }
        }
        throw new BadQueryException("cannot parse " + GoText.quote(s) + " to a valid timestamp");
    }

    /**
     * Float seconds ({@code 15}, {@code 0.5}) or a Prometheus duration ({@code 1m30s}, {@code 500ms}),
     * to nanoseconds like Go's {@code time.Duration}.
     *
     * @throws BadQueryException {@code cannot parse "x" to a valid duration}
     */
    public static long parseDurationNanos(String s) {
        OptionalDouble f = parseGoFloat(s);
        if (f.isPresent()) {
            double ns = f.getAsDouble() * 1e9;
            if (ns > Long.MAX_VALUE || ns < Long.MIN_VALUE) {
                throw new BadQueryException("cannot parse " + GoText.quote(s) + " to a valid duration. It overflows int64");
            }
            return (long) ns; // NaN gives 0, which callers refuse as a non-positive step
        }
        Long millis = PromDurations.parseMillis(s);
        if (millis == null) {
            throw new BadQueryException("cannot parse " + GoText.quote(s) + " to a valid duration");
        }
        return millis * 1_000_000;
    }

    /** Go's {@code math.Modf} then millisecond rounding, as in Prometheus' {@code parseTime}. */
    private static long secondsToMillis(double t) {
        double whole = t < 0 ? Math.ceil(t) : Math.floor(t);
        double frac = t - whole;
        double roundedFrac = goRound(frac * 1000) / 1000;
        long sec = (long) whole;
        long nsec = (long) (roundedFrac * 1e9);
        // time.Unix normalises a negative nanosecond part into the previous second.
        if (nsec < 0) {
            sec--;
            nsec += 1_000_000_000;
        } else if (nsec >= 1_000_000_000) {
            sec++;
            nsec -= 1_000_000_000;
        }
        return sec * 1000 + nsec / 1_000_000;
    }

    /** Go's {@code math.Round}: halves away from zero. */
    private static double goRound(double x) {
        return x < 0 ? -Math.round(-x) : Math.round(x);
    }

    /** Go's {@code time.Parse(time.RFC3339Nano, s)}, or null. */
    private static Long parseRfc3339(String s) {
        Matcher m = RFC3339.matcher(s);
        if (!m.matches()) {
            return null;
        }
        try {
            var local = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)));
            int offsetSeconds = 0;
            if (m.group(8) != null) {
                int hh = Integer.parseInt(m.group(9));
                int mm = Integer.parseInt(m.group(10));
                if (hh > 23 || mm > 59) {
                    return null;
                }
                offsetSeconds = (m.group(8).equals("-") ? -1 : 1) * (hh * 3600 + mm * 60);
            }
            long epochSecond = local.toEpochSecond(ZoneOffset.ofTotalSeconds(offsetSeconds));
            long millis = 0;
            if (m.group(7) != null) {
                String digits = (m.group(7) + "00").substring(0, 3); // truncated like timestamp.FromTime
                millis = Long.parseLong(digits);
            }
            return epochSecond * 1000 + millis;
        } catch (DateTimeException e) {
            return null;
        }
    }

    /**
     * Go's {@code strconv.ParseFloat(s, 64)}: decimal, hexadecimal with a {@code p} exponent,
     * {@code inf}/{@code infinity}/{@code nan} in any case; an overflow to infinity is an error.
     */
    static OptionalDouble parseGoFloat(String s) {
        if (INF.matcher(s).matches()) {
            return OptionalDouble.of(s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        if (NAN.matcher(s).matches()) {
            return OptionalDouble.of(Double.NaN);
        }
        if (!DECIMAL.matcher(s).matches() && !HEX.matcher(s).matches()) {
            return OptionalDouble.empty();
        }
        double d = Double.parseDouble(s);
        return Double.isInfinite(d) ? OptionalDouble.empty() : OptionalDouble.of(d);
    }
}
