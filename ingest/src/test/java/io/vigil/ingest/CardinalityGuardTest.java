package io.vigil.ingest;

import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;
import io.vigil.testbed.Postgres;
import io.vigil.testbed.WithServices;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The series cardinality guard on a real store: a target with an unbounded label stops at its limit
 * while its existing series and other targets go on; the store-wide hourly limit bounds churn.
 */
@WithServices(Postgres.class)
class CardinalityGuardTest {

    private final Postgres postgres;
    private long offset;

    CardinalityGuardTest(Postgres postgres) {
        this.postgres = postgres;
    }

    @Test
    void aTargetOverItsLimitKeepsItsSeriesButCreatesNoMore() throws SQLException {
        var db = TestDb.fresh(postgres, "guard_target");
        var clock = new MutableClock(Instant.now());
        var writer = writer(db, new SeriesLimits(5, 0), clock);
        var log = new java.util.concurrent.CopyOnWriteArrayList<String>();
        var handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                log.add(r instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage() : r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger.getLogger("").addHandler(handler);

        // "noisy" brings 8 series in one scrape (a label with a new value per statement), "calm" brings 2.
        WriteResult first;
        try {
            first = writer.write(List.of(scrape("noisy", clock.millis(), 8), scrape("calm", clock.millis(), 2)));
        } finally {
            java.util.logging.Logger.getLogger("").removeHandler(handler);
        }
        assertThat(log).anySatisfy(line -> assertThat(line).contains("target noisy has 5 series")
                .contains("max-series-per-target=5").contains("refused 3 new series").contains("mysql_statement_seconds{digest="));

        assertThat(first.seriesCreated()).isEqualTo(5 + 2);
        assertThat(first.seriesRefused()).isEqualTo(3);
        assertThat(first.pointsRefused()).isEqualTo(3);
        assertThat(first.pointsWritten()).isEqualTo(5 + 2);

        clock.advance(Duration.ofSeconds(15));
        var second = writer.write(List.of(scrape("noisy", clock.millis(), 8), scrape("calm", clock.millis(), 4)));

        assertThat(second.pointsWritten()).as("the 5 admitted series of noisy go on, calm grows").isEqualTo(5 + 4);
        assertThat(second.seriesRefused()).isEqualTo(3);
        assertThat(db.count("SELECT count(*) FROM series WHERE target = 'noisy'")).isEqualTo(5);
        assertThat(db.count("SELECT count(*) FROM series WHERE target = 'calm'")).isEqualTo(4);

        // A restart counts what the store holds: the limit still applies.
        var restarted = writer(db, new SeriesLimits(5, 0), clock);
        clock.advance(Duration.ofSeconds(15));
        var third = restarted.write(List.of(scrape("noisy", clock.millis(), 9)));
        assertThat(third.pointsWritten()).isEqualTo(5);
        assertThat(third.seriesRefused()).isEqualTo(4);
    }

    @Test
    void theStoreWideHourlyLimitBoundsChurnAndLiftsAfterTheHour() throws SQLException {
        var db = TestDb.fresh(postgres, "guard_hour");
        var clock = new MutableClock(Instant.now().minus(Duration.ofHours(2)));
        var writer = writer(db, new SeriesLimits(0, 10), clock);

        var first = writer.write(List.of(scrape("a", clock.millis(), 6), scrape("b", clock.millis(), 6)));
        assertThat(first.seriesCreated()).isEqualTo(10);
        assertThat(first.seriesRefused()).isEqualTo(2);

        clock.advance(Duration.ofMinutes(59));
        assertThat(writer.write(List.of(scrape("c", clock.millis(), 1))).seriesRefused()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(2));
        var later = writer.write(List.of(scrape("a", clock.millis(), 6), scrape("b", clock.millis(), 6)));
        assertThat(later.seriesRefused()).isZero();
        assertThat(later.seriesCreated()).isEqualTo(2);
        assertThat(later.pointsWritten()).isEqualTo(12);
    }

    @Test
    void withoutLimitsEverySeriesIsCreated() throws SQLException {
        var db = TestDb.fresh(postgres, "guard_none");
        var clock = new MutableClock(Instant.now());
        var result = writer(db, SeriesLimits.NONE, clock).write(List.of(scrape("x", clock.millis(), 50)));
        assertThat(result.seriesCreated()).isEqualTo(50);
        assertThat(result.seriesRefused()).isZero();
    }

    private static SampleWriter writer(TestDb db, SeriesLimits limits, Clock clock) {
        StoreLayout layout = new StoreSchema(db.ds(), LayoutChoice.AUTO, StoreSettings.defaults()).ensure();
        return new SampleWriter(db.ds(), layout, new OffsetStore(db.ds(), "guard"), Duration.ofDays(30), limits, clock);
    }

    /** A scrape of {@code target} with one point for each of {@code series} series told apart by a digest label. */
    private ConsumedBatch scrape(String target, long timeMillis, int series) {
        var samples = new ArrayList<Sample>();
        for (int i = 0; i < series; i++) {
            samples.add(new Sample("mysql_statement_seconds", Labels.of("digest", "d" + i), i));
        }
        return Batches.consumed(0, offset++, new SampleBatch(target, timeMillis, Labels.of("instance", target), samples));
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
