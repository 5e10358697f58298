package io.vigil.logs.index;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Pattern;

/**
 * Daily index names: {@code <prefix>-slow-2026.12.04}, by the event's UTC day, so that retention is the
 * deletion of whole indices and a search over a window touches only the days it spans.
 */
public final class IndexNames {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);
    private static final Pattern PREFIX = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,100}");

    private static final long SECONDS_PER_DAY = 86_400;

    private final String prefix;
    /** The last daily name made of each kind: the events of a batch nearly always fall on one day. */
    private final AtomicReferenceArray<Daily> lastDaily = new AtomicReferenceArray<>(LogIndex.values().length);

    private record Daily(long epochDay, String name) {
    }

    /** @param prefix lower case letters, digits, {@code _ . -}; e.g. {@code vigil} */
    public IndexNames(String prefix) {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("an index prefix is lower case letters, digits, '_', '.' or '-' (not first),"
                    + " at most 101 characters; got \"" + prefix + "\"");
        }
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    public String daily(LogIndex kind, Instant time) {
        long day = Math.floorDiv(time.getEpochSecond(), SECONDS_PER_DAY);
        Daily last = lastDaily.get(kind.ordinal());
        if (last == null || last.epochDay() != day) {
            last = new Daily(day, base(kind) + DAY.format(time));
            lastDaily.set(kind.ordinal(), last);
        }
        return last.name();
    }

    /** Every daily index of the kind, for search and for the template. */
    public String pattern(LogIndex kind) {
        return base(kind) + "*";
    }

    public String template(LogIndex kind) {
        return prefix + "-" + kind.suffix();
    }

    /** The UTC day of a daily index of this kind; empty for any other name (never guess what to delete). */
    public Optional<LocalDate> day(LogIndex kind, String index) {
        String base = base(kind);
        if (!index.startsWith(base) || index.length() != base.length() + 10) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(index.substring(base.length()), DAY));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private String base(LogIndex kind) {
        return prefix + "-" + kind.suffix() + "-";
    }
}
