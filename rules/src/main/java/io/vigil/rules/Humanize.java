package io.vigil.rules;

import java.util.Locale;

/** Prometheus' template functions {@code humanize}, {@code humanizeDuration}, {@code humanizePercentage}. */
final class Humanize {

    private static final String[] BIG = {"", "k", "M", "G", "T", "P", "E", "Z", "Y"};
    private static final String[] SMALL = {"", "m", "u", "n", "p", "f", "a", "z", "y"};

    private Humanize() {
    }

    /** SI prefixes, four significant digits: {@code 1234567 → 1.235M}, {@code 0.0012 → 1.2m}. */
    static String number(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return format(v);
        }
        int i = 0;
        double a = Math.abs(v);
        if (a >= 1) {
            while (a >= 1000 && i < BIG.length - 1) {
                a /= 1000;
                v /= 1000;
                i++;
            }
            return format(v) + BIG[i];
        }
        while (a < 1 && i < SMALL.length - 1) {
            a *= 1000;
            v *= 1000;
            i++;
        }
        return format(v) + SMALL[i];
    }

    /**
     * Prometheus' {@code humanizeDuration}: {@code 3725 → 1h 2m 5s}, {@code 3600 → 1h 0m 0s} (every
     * smaller unit once a larger one shows, whole seconds from a minute up), {@code 42.5 → 42.5s},
     * below a second in ms or us.
     */
    static String duration(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return format(seconds);
        }
        String sign = seconds < 0 ? "-" : "";
        double v = Math.abs(seconds);
        if (v == 0) {
            return "0s";
        }
        if (v < 1) {
            return v >= 0.001 ? sign + format(v * 1000) + "ms" : sign + format(v * 1e6) + "us";
        }
        long whole = (long) v;
        long days = whole / 86_400;
        long hours = whole / 3600 % 24;
        long minutes = whole / 60 % 60;
        long secs = whole % 60;
        if (days != 0) {
            return sign + days + "d " + hours + "h " + minutes + "m " + secs + "s";
        }
        if (hours != 0) {
            return sign + hours + "h " + minutes + "m " + secs + "s";
        }
        if (minutes != 0) {
            return sign + minutes + "m " + secs + "s";
        }
        return sign + format(v) + "s";
    }

    static String percentage(double ratio) {
        return format(ratio * 100) + "%";
    }

    /** Go's {@code %.4g}, without trailing zeros. */
    private static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        if (s.contains("e")) {
            return s;
        }
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
