package io.vigil.server.logs;

import io.vigil.logs.search.SearchWindow;
import io.vigil.model.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The query parameters the log searches share, checked, with messages that say what to send instead.
 * Free text is only length-checked: it reaches Elasticsearch as a JSON value, never as query syntax.
 */
final class LogSearchParams {

    static final Duration MAX_WINDOW = Duration.ofDays(400);
    static final int MAX_TEXT = 1000;

    private LogSearchParams() {
    }

    /**
     * {@code from} and {@code to} (ISO-8601, {@code to} defaults to now), or {@code since} (a duration back
     * from now, e.g. {@code 1h}), else the last {@code fallback}.
     */
    static SearchWindow window(String from, String to, String since, Duration fallback, Clock clock) throws BadParameterException {
        Instant now = clock.instant();
        if (present(since)) {
            if (present(from)) {
                throw new BadParameterException("since", "give since or from, not both");
            }
            Duration back = duration("since", since);
            Instant end = present(to) ? instant("to", to) : now;
            if (!now.minus(back).isBefore(end)) {
                throw new BadParameterException("to", "must be after now - since (" + now.minus(back) + "), got " + end);
            }
            return checked(new SearchWindow(now.minus(back), end));
        }
        Instant end = present(to) ? instant("to", to) : now;
        Instant start = present(from) ? instant("from", from) : end.minus(fallback);
        if (!start.isBefore(end)) {
            throw new BadParameterException("from", "must be before to (" + end + "), got " + start);
        }
        return checked(new SearchWindow(start, end));
    }

    private static SearchWindow checked(SearchWindow window) throws BadParameterException {
        if (window.length().compareTo(MAX_WINDOW) > 0) {
            throw new BadParameterException("from", "the window may span at most " + MAX_WINDOW.toDays() + " days");
        }
        return window;
    }

    static Instant instant(String name, String text) throws BadParameterException {
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new BadParameterException(name, "an ISO-8601 time such as 2026-12-04T22:00:00Z, got \"" + abbreviated(text) + "\"");
        }
    }

    static Duration duration(String name, String text) throws BadParameterException {
        Duration d;
        try {
            d = Durations.parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw new BadParameterException(name, "a duration such as 30s, 5m, 1h or 7d, got \"" + abbreviated(text) + "\"");
        }
        if (d.isZero() || d.isNegative()) {
            throw new BadParameterException(name, "must be longer than 0, got \"" + abbreviated(text) + "\"");
        }
        if (d.compareTo(MAX_WINDOW) > 0) {
            throw new BadParameterException(name, "at most " + MAX_WINDOW.toDays() + "d");
        }
        return d;
    }

    static Optional<Duration> optionalDuration(String name, String text) throws BadParameterException {
        return present(text) ? Optional.of(duration(name, text)) : Optional.empty();
    }

    static int number(String name, String text, int fallback, int min, int max) throws BadParameterException {
        if (!present(text)) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(text.strip());
            if (n < min || n > max) {
                throw new BadParameterException(name, "from " + min + " to " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadParameterException(name, "a whole number from " + min + " to " + max + ", got \"" + abbreviated(text) + "\"");
        }
    }

    /** An exact label value (cluster, instance, schema, user, code): any characters, bounded length. */
    static Optional<String> label(String name, String text) throws BadParameterException {
        if (!present(text)) {
            return Optional.empty();
        }
        if (text.length() > 512) {
            throw new BadParameterException(name, "at most 512 characters");
        }
        return Optional.of(text);
    }

    static Optional<String> text(String name, String text) throws BadParameterException {
        if (!present(text)) {
            return Optional.empty();
        }
        if (text.length() > MAX_TEXT) {
            throw new BadParameterException(name, "at most " + MAX_TEXT + " characters");
        }
        return Optional.of(text);
    }

    static boolean present(String text) {
        return text != null && !text.isBlank();
    }

    /** Echoed input stays short in error messages. */
    static String abbreviated(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
