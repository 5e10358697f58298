package io.vigil.notifier.oncall;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduleTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    /** Weekly, Monday 10:00 Shanghai time, alice from Monday 2026-11-30. */
    private final Schedule weekly = new Schedule("dba", SHANGHAI, Schedule.Rotation.WEEKLY, DayOfWeek.MONDAY, LocalTime.of(10, 0),
            LocalDate.parse("2026-11-30"), List.of("alice", "bob", "carol"), List.of());

    @Test
    void weeklyHandOffHappensAtTheLocalTimeOnTheDay() {
        // Monday 2026-11-30 09:59 Shanghai: the shift before alice's (carol's, rotating backwards).
        assertThat(weekly.onCall(Instant.parse("2026-11-30T01:59:00Z"))).isEqualTo("carol");
        assertThat(weekly.onCall(Instant.parse("2026-11-30T02:00:00Z"))).isEqualTo("alice");
        // Sunday night, still alice; next Monday 10:00, bob; the week after, carol; then alice again.
        assertThat(weekly.onCall(Instant.parse("2026-12-06T15:00:00Z"))).isEqualTo("alice");
        assertThat(weekly.onCall(Instant.parse("2026-12-07T02:00:00Z"))).isEqualTo("bob");
        assertThat(weekly.onCall(Instant.parse("2026-12-14T02:00:00Z"))).isEqualTo("carol");
        assertThat(weekly.onCall(Instant.parse("2026-12-21T02:00:00Z"))).isEqualTo("alice");
    }

    @Test
    void dailyHandOffKeepsItsLocalTimeAcrossDaylightSaving() {
        var daily = new Schedule("noc", BERLIN, Schedule.Rotation.DAILY, DayOfWeek.MONDAY, LocalTime.of(9, 0),
                LocalDate.parse("2027-03-27"), List.of("anna", "ben"), List.of());
        // 2027-03-28 is the spring-forward day in Berlin: 09:00 is 07:00Z, the day before it was 08:00Z.
        assertThat(daily.onCall(Instant.parse("2027-03-27T08:00:00Z"))).isEqualTo("anna");
        assertThat(daily.onCall(Instant.parse("2027-03-28T06:59:00Z"))).isEqualTo("anna");
        assertThat(daily.onCall(Instant.parse("2027-03-28T07:00:00Z"))).isEqualTo("ben");
        assertThat(daily.onCall(Instant.parse("2027-03-29T07:00:00Z"))).isEqualTo("anna");
    }

    @Test
    void anOverrideTakesTheShiftAndTheLastDefinedWins() {
        var withOverrides = new Schedule("dba", SHANGHAI, Schedule.Rotation.WEEKLY, DayOfWeek.MONDAY, LocalTime.of(10, 0),
                LocalDate.parse("2026-11-30"), List.of("alice", "bob"), List.of(
                new Schedule.Override("dave", Instant.parse("2026-12-24T10:00:00Z"), Instant.parse("2026-12-26T02:00:00Z")),
                new Schedule.Override("erin", Instant.parse("2026-12-25T00:00:00Z"), Instant.parse("2026-12-25T12:00:00Z"))));

        assertThat(withOverrides.onCall(Instant.parse("2026-12-24T09:59:59Z"))).isEqualTo("bob");
        assertThat(withOverrides.onCall(Instant.parse("2026-12-24T10:00:00Z"))).isEqualTo("dave");
        assertThat(withOverrides.onCall(Instant.parse("2026-12-25T06:00:00Z"))).isEqualTo("erin");
        assertThat(withOverrides.onCall(Instant.parse("2026-12-26T02:00:00Z"))).isEqualTo("bob");
    }

    @Test
    void aWeeklyStartThatIsNotTheHandOffDayIsRefused() {
        assertThatThrownBy(() -> new Schedule("x", SHANGHAI, Schedule.Rotation.WEEKLY, DayOfWeek.MONDAY, LocalTime.NOON,
                LocalDate.parse("2026-12-01"), List.of("a"), List.of()))
                .hasMessage("schedule x: start 2026-12-01 is a TUESDAY, not the hand-off day MONDAY");
    }
}
