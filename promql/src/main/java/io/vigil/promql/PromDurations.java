package io.vigil.promql;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prometheus' duration syntax ({@code model.ParseDuration}): {@code 1h30m}, {@code 5m}, {@code 250ms}; units in order, each once. */
public final class PromDurations {

    private static final Pattern MODEL_DURATION = Pattern.compile(
            "(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");
    private static final long[] DURATION_UNIT_MILLIS = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1};

    private PromDurations() {
    }

    /** common/model's {@code ParseDuration} in milliseconds, or null. */
    public static Long parseMillis(String s) {
        if (s.equals("0")) {
            return 0L;
        }
        if (s.isEmpty()) {
            return null;
        }
        Matcher m = MODEL_DURATION.matcher(s);
        if (!m.matches()) {
            return null;
        }
        long total = 0;
        try {
            for (int i = 0; i < DURATION_UNIT_MILLIS.length; i++) {
                String n = m.group(i + 1);
                if (n != null) {
                    total = Math.addExact(total, Math.multiplyExact(Long.parseLong(n), DURATION_UNIT_MILLIS[i]));
                }
            }
            Math.multiplyExact(total, 1_000_000L); // must fit a time.Duration in nanoseconds
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
        return total;
    }
}
