package io.vigil.notifier.routing;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;

/**
 * A named set of recurring intervals (business hours, a weekly maintenance window). An instant is
 * in the window when it falls in any interval; an interval holds when its weekdays and its times
 * both hold, read in its own time zone. Empty weekdays or times mean "any".
 */
public record TimeWindow(String name, List<Interval> intervals) {

    public TimeWindow {
        intervals = List.copyOf(intervals);
    }

    public boolean contains(Instant at) {
        for (Interval i : intervals) {
            if (i.contains(at)) {
                return true;
            }
        }
        return false;
    }

    /** {@code end} is exclusive; an end before the start wraps past midnight (22:00-06:00). */
    public record TimeRange(LocalTime start, LocalTime end) {

        boolean contains(LocalTime t) {
            if (start.isBefore(end)) {
                return !t.isBefore(start) && t.isBefore(end);
            }
            return !t.isBefore(start) || t.isBefore(end);
        }
    }

    public record Interval(Set<DayOfWeek> weekdays, List<TimeRange> times, ZoneId location) {

        public Interval {
            weekdays = Set.copyOf(weekdays);
            times = List.copyOf(times);
        }

        public boolean contains(Instant at) {
            ZonedDateTime local = at.atZone(location);
            if (!weekdays.isEmpty() && !weekdays.contains(local.getDayOfWeek())) {
                return false;
            }
            if (times.isEmpty()) {
                return true;
            }
            LocalTime t = local.toLocalTime();
            for (TimeRange r : times) {
                if (r.contains(t)) {
                    return true;
                }
            }
            return false;
        }
    }
}
