package io.vigil.notifier.oncall;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * An on-call rotation: the members take turns, handing off daily or weekly at a local time in the
 * schedule's time zone (so a 10:00 hand-off stays at 10:00 across daylight-saving changes).
 * {@code start} is a date on which {@code members[0]} takes over at the hand-off time; before it the
 * rotation runs backwards just the same. An override puts someone else on call for a while
 * (holidays, swaps); the last override defined wins where they overlap.
 */
public record Schedule(String name, ZoneId zone, Rotation rotation, DayOfWeek handoffDay, LocalTime handoffTime,
                       LocalDate start, List<String> members, List<Override> overrides) {

    public enum Rotation {
        DAILY, WEEKLY
    }

    public record Override(String receiver, Instant start, Instant end) {
    }

    public Schedule {
        Objects.requireNonNull(name, "name");
        members = List.copyOf(members);
        overrides = List.copyOf(overrides);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("schedule " + name + " has no members");
        }
        if (rotation == Rotation.WEEKLY && start.getDayOfWeek() != handoffDay) {
            throw new IllegalArgumentException("schedule " + name + ": start " + start + " is a " + start.getDayOfWeek()
                    + ", not the hand-off day " + handoffDay);
        }
    }

    /** The receiver on call at {@code at}. */
    public String onCall(Instant at) {
        for (int i = overrides.size() - 1; i >= 0; i--) {
            Override o = overrides.get(i);
            if (!at.isBefore(o.start()) && at.isBefore(o.end())) {
                return o.receiver();
            }
        }
        ZonedDateTime local = at.atZone(zone);
        // The date of the shift that is running: before today's hand-off, yesterday's shift still runs.
        LocalDate shiftDate = local.toLocalTime().isBefore(handoffTime) ? local.toLocalDate().minusDays(1) : local.toLocalDate();
        long shifts;
        if (rotation == Rotation.DAILY) {
            shifts = ChronoUnit.DAYS.between(start, shiftDate);
        } else {
            long days = ChronoUnit.DAYS.between(start, shiftDate);
            shifts = Math.floorDiv(days, 7);
        }
        return members.get((int) Math.floorMod(shifts, (long) members.size()));
    }
}
