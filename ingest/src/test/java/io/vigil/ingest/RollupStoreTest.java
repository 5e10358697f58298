package io.vigil.ingest;

import io.vigil.model.LabelMatcher;
import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;
import io.vigil.model.SeriesBuckets;
import io.vigil.model.SeriesPoints;
import io.vigil.testbed.Postgres;
import io.vigil.testbed.WithServices;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rollup tables on a real PostgreSQL: what a reader gets for a rollup is exactly what
 * {@link SeriesBuckets#of} computes from the raw points, whether the buckets were written by the
 * maintainer, are still pending, or a late point arrived after they were written.
 */
@WithServices(Postgres.class)
class RollupStoreTest {

    private static final long MIN = 60_000;
    private static final long HOUR = 60 * MIN;
    private static final List<LabelMatcher> ALL = List.of(LabelMatcher.eq("cluster", "pay"));

    private final long t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3)).toEpochMilli();
    private final TestDb db;
    private final PgSeriesReader reader;
    /** Keeps finished blocks between reads, through every change a test makes: it must never answer differently. */
    private final PgSeriesReader cachingReader;
    private final SampleWriter writer;
    private long offset;

    RollupStoreTest(Postgres postgres) {
        db = TestDb.fresh(postgres, "rollup");
        StoreLayout layout = new StoreSchema(db.ds(), LayoutChoice.AUTO, StoreSettings.defaults()).ensure();
        writer = new SampleWriter(db.ds(), layout, new OffsetStore(db.ds(), "rollups"), Duration.ofDays(30));
        reader = new PgSeriesReader(db.ds());
        cachingReader = new PgSeriesReader(db.ds(), 1_000_000);
    }

    @Test
    void pendingAndWrittenRollupsBothMatchTheRawPoints() throws SQLException {
        writeTwoHours(t0);
        assertThat(db.count("SELECT count(*) FROM rollup_pending")).as("every write left its range pending").isPositive();
        assertMatchesRaw("pending, computed from raw points");

        var run = maintainer(t0 + 10 * HOUR).runOnce();

        assertThat(run.pendingTaken()).isPositive();
        assertThat(db.count("SELECT count(*) FROM rollup_pending")).isZero();
        // Three series over 120 minutes; the counter's first point lies on a bucket's end, so it has one bucket more.
        assertThat(db.count("SELECT count(*) FROM samples_1m")).isEqualTo(121 + 2 * 120);
        assertThat(db.count("SELECT count(*) FROM samples_1h")).isEqualTo(3 + 2 * 2);
        assertMatchesRaw("written by the maintainer");
        // The finished hours were kept; the hour still taking points (this one) was not.
        assertThat(cachingReader.cachedBuckets(Rollups.MINUTE)).isEqualTo(121 + 2 * 120);
    }

    @Test
    void aLatePointIsSeenAtOnceAndRolledUpAgain() throws SQLException {
        writeTwoHours(t0);
        maintainer(t0 + 10 * HOUR).runOnce();

        write(new SampleBatch("db-1", t0 + 30 * MIN + 7_000, Labels.of("cluster", "pay", "instance", "db-1"),
                List.of(Sample.of("temperature", 1000))));

        assertMatchesRaw("late point pending");
        var minute = readBuckets(MIN).stream().filter(b -> b.labels().toString().contains("temperature")
                && b.labels().toString().contains("db-1")).findFirst().orElseThrow();
        int i = java.util.Arrays.binarySearch(minute.ends(), t0 + 31 * MIN);
        assertThat(minute.maxes()[i]).isEqualTo(1000);
        maintainer(t0 + 10 * HOUR).runOnce();
        assertMatchesRaw("late point rolled up");
        assertThat(cachingReader.cachedBuckets(Rollups.MINUTE)).as("kept again once rolled up").isEqualTo(121 + 2 * 120);
    }

    @Test
    void aReaderThatKeepsBlocksDropsWhatTheMaintainerChangedOrExpired() throws SQLException {
        writeTwoHours(t0);
        maintainer(t0 + 10 * HOUR).runOnce();
        assertMatchesRaw("written");
        long kept = cachingReader.cachedBuckets(Rollups.MINUTE);
        assertThat(kept).isPositive();

        // A late point in a kept hour, read while pending: the kept block must give way to the raw points.
        write(new SampleBatch("db-1", t0 + 75 * MIN + 3_000, Labels.of("cluster", "pay", "instance", "db-1"),
                List.of(Sample.of("temperature", 99))));
        assertMatchesRaw("late point pending in a kept block");
        maintainer(t0 + 10 * HOUR).runOnce();
        assertMatchesRaw("that late point rolled up");

        // Another one, rolled up before the caching reader reads again: only the change log tells it.
        write(new SampleBatch("db-2", t0 + 12 * MIN + 3_000, Labels.of("cluster", "pay", "instance", "db-2"),
                List.of(Sample.of("temperature", -40))));
        maintainer(t0 + 10 * HOUR).runOnce();
        assertMatchesRaw("late point rolled up between two reads");

        // Retention deletes the first hour's buckets, again between two reads.
        var settings = new StoreSettings(Duration.ofDays(30), 2, Duration.ofMinutes(90), Duration.ofDays(400));
        new RollupMaintainer(db.ds(), settings, Clock.fixed(Instant.ofEpochMilli(t0 + 2 * HOUR + 30 * MIN), ZoneOffset.UTC)).runOnce();
        var minute = cachingReader.readBuckets(ALL, MIN, t0 - HOUR, t0 + 4 * HOUR).orElseThrow();
        assertThat(minute).allSatisfy(b -> assertThat(b.ends()[0]).isGreaterThanOrEqualTo(t0 + HOUR));
    }

    @Test
    void onlyBucketsThatAreOverAreWrittenAndReadsJoinStoredAndPendingOnes() throws SQLException {
        writeTwoHours(t0);
        // The clock is inside the second hour: its hour bucket and that hour's pending writes wait.
        maintainer(t0 + HOUR + 30 * MIN).runOnce();

        assertThat(db.count("SELECT count(*) FROM rollup_pending WHERE width_seconds = 3600")).isPositive();
        assertThat(db.count("SELECT count(*) FROM samples_1m WHERE bucket > to_timestamp(" + (t0 + HOUR + 30 * MIN) / 1000 + ")"))
                .isZero();
        assertMatchesRaw("half written, half pending");
    }

    @Test
    void retentionDeletesOldBucketsOnly() throws SQLException {
        writeTwoHours(t0);
        var settings = new StoreSettings(Duration.ofDays(30), 2, Duration.ofMinutes(90), Duration.ofDays(400));
        var clock = Clock.fixed(Instant.ofEpochMilli(t0 + 2 * HOUR + 30 * MIN), ZoneOffset.UTC);

        var run = new RollupMaintainer(db.ds(), settings, clock).runOnce();

        // Buckets ending before t0 + 60 min: t0 … t0 + 59 min for the counter, from t0 + 1 min for the gauges.
        assertThat(run.bucketsExpired()).isEqualTo(60 + 2 * 59);
        assertThat(db.count("SELECT count(*) FROM samples_1m WHERE bucket < to_timestamp(" + (t0 + HOUR) / 1000 + ")")).isZero();
        assertThat(db.count("SELECT count(*) FROM samples_1m")).isEqualTo(61 + 2 * 61);
        assertThat(db.count("SELECT count(*) FROM samples_1h")).isEqualTo(3 + 2 * 2);
    }

    @Test
    void aStoreFromBeforeRollupsHasAllItsPointsPending() throws SQLException {
        writeTwoHours(t0);
        try (var c = db.ds().getConnection(); var st = c.createStatement()) {
            st.execute("DROP TABLE samples_1m, samples_1h, rollup_pending");
        }

        new StoreSchema(db.ds(), LayoutChoice.AUTO, StoreSettings.defaults()).ensure();

        assertThat(db.count("SELECT count(*) FROM rollup_pending")).isEqualTo(2);
        assertMatchesRaw("after the upgrade");
        maintainer(t0 + 10 * HOUR).runOnce();
        assertMatchesRaw("after the upgrade, rolled up");
    }

    private RollupMaintainer maintainer(long nowMillis) {
        return new RollupMaintainer(db.ds(), StoreSettings.defaults(), Clock.fixed(Instant.ofEpochMilli(nowMillis), ZoneOffset.UTC));
    }

    /**
     * Two hours from {@code start} of three series: a counter every 15 s on the minute (points on
     * bucket ends) with resets, a gauge every 20 s off the minute, a gauge with a NaN reading and a
     * staleness marker; written in scrapes of 10 minutes per flush, newest hour first, so ranges
     * arrive out of order.
     */
    private void writeTwoHours(long start) throws SQLException {
        var scrapes = new ArrayList<SampleBatch>();
        double counter = 0;
        for (long t = start; t <= start + 2 * HOUR; t += 15_000) {
            counter = (t - start) % (37 * MIN) == 0 ? 3 : counter + ((t / 15_000) % 7);
            scrapes.add(new SampleBatch("db-1", t, Labels.of("cluster", "pay", "instance", "db-1"),
                    List.of(Sample.of("requests_total", counter))));
        }
        for (long t = start + 1_500; t < start + 2 * HOUR; t += 20_000) {
            double v = (t / 20_000) % 40;
            scrapes.add(new SampleBatch("db-1", t, Labels.of("cluster", "pay", "instance", "db-1"),
                    List.of(Sample.of("temperature", v))));
            long k = (t - start) / 20_000;
            double w = k == 100 ? Double.NaN : k == 200 ? Sample.STALE_NAN : v / 2;
            scrapes.add(new SampleBatch("db-2", t, Labels.of("cluster", "pay", "instance", "db-2"),
                    List.of(Sample.of("temperature", w))));
        }
        scrapes.sort((a, b) -> Long.compare(b.timestampMillis() / (10 * MIN), a.timestampMillis() / (10 * MIN)));
        var chunk = new ArrayList<SampleBatch>();
        long current = -1;
        for (SampleBatch s : scrapes) {
            long slot = s.timestampMillis() / (10 * MIN);
            if (slot != current && !chunk.isEmpty()) {
                write(chunk.toArray(SampleBatch[]::new));
                chunk.clear();
            }
            current = slot;
            chunk.add(s);
        }
        write(chunk.toArray(SampleBatch[]::new));
    }

    private void write(SampleBatch... batches) throws SQLException {
        var consumed = new ArrayList<ConsumedBatch>();
        for (SampleBatch b : batches) {
            consumed.add(Batches.consumed(0, offset++, b));
        }
        writer.write(consumed);
    }

    private List<SeriesBuckets> readBuckets(long width) {
        return cachingReader.readBuckets(ALL, width, t0 - HOUR, t0 + 4 * HOUR).orElseThrow();
    }

    /** Both readers, the caching one twice (filling, then answering from what it kept), give exactly the rollup of the raw points. */
    private void assertMatchesRaw(String when) {
        assertMatchesRaw(when, reader);
        assertMatchesRaw(when + ", caching reader", cachingReader);
        assertMatchesRaw(when + ", caching reader again", cachingReader);
    }

    private void assertMatchesRaw(String when, PgSeriesReader reader) {
        List<SeriesPoints> raw = reader.read(ALL, t0 - 2 * HOUR, t0 + 4 * HOUR);
        assertThat(raw).hasSize(3);
        for (long width : List.of(MIN, HOUR)) {
            List<SeriesBuckets> actual = reader.readBuckets(ALL, width, t0 - HOUR, t0 + 4 * HOUR).orElseThrow();
            assertThat(actual).as("%s, width %d", when, width).hasSize(raw.size());
            for (int i = 0; i < raw.size(); i++) {
                SeriesBuckets expected = SeriesBuckets.of(raw.get(i), width);
                SeriesBuckets got = actual.get(i);
                String what = when + ", width " + width + ", " + expected.labels();
                assertThat(got.labels()).as(what).isEqualTo(expected.labels());
                assertThat(got.ends()).as(what).containsExactly(expected.ends());
                assertThat(got.counts()).as(what).containsExactly(expected.counts());
                assertThat(got.sums()).as(what).containsExactly(expected.sums());
                assertThat(got.mins()).as(what).containsExactly(expected.mins());
                assertThat(got.maxes()).as(what).containsExactly(expected.maxes());
                assertThat(got.firstTimes()).as(what).containsExactly(expected.firstTimes());
                assertThat(got.firsts()).as(what).containsExactly(expected.firsts());
                assertThat(got.lastTimes()).as(what).containsExactly(expected.lastTimes());
                assertThat(got.lasts()).as(what).containsExactly(expected.lasts());
                assertThat(got.resets()).as(what).containsExactly(expected.resets());
                assertThat(got.staleTimes()).as(what).containsExactly(expected.staleTimes());
                assertThat(got.nanCounts()).as(what).containsExactly(expected.nanCounts());
            }
            for (SeriesBuckets.Field field : SeriesBuckets.Field.values()) {
                List<SeriesBuckets> narrow = reader.readBuckets(ALL, width, t0 - HOUR, t0 + 4 * HOUR, EnumSet.of(field)).orElseThrow();
                assertThat(narrow).hasSize(raw.size());
                for (int i = 0; i < raw.size(); i++) {
                    SeriesBuckets expected = SeriesBuckets.of(raw.get(i), width);
                    SeriesBuckets got = narrow.get(i);
                    String what = when + ", width " + width + ", only " + field + ", " + expected.labels();
                    assertThat(got.ends()).as(what).containsExactly(expected.ends());
                    assertThat(got.counts()).as(what).containsExactly(expected.counts());
                    assertThat(got.lastTimes()).as(what).containsExactly(expected.lastTimes());
                    assertThat(got.lasts()).as(what).containsExactly(expected.lasts());
                    assertThat(got.nanCounts()).as(what).containsExactly(expected.nanCounts());
                    switch (field) {
                        case SUM -> assertThat(got.sums()).as(what).containsExactly(expected.sums());
                        case MIN -> assertThat(got.mins()).as(what).containsExactly(expected.mins());
                        case MAX -> assertThat(got.maxes()).as(what).containsExactly(expected.maxes());
                        case FIRST -> {
                            assertThat(got.firstTimes()).as(what).containsExactly(expected.firstTimes());
                            assertThat(got.firsts()).as(what).containsExactly(expected.firsts());
                        }
                        case RESETS -> assertThat(got.resets()).as(what).containsExactly(expected.resets());
                        case STALE -> assertThat(got.staleTimes()).as(what).containsExactly(expected.staleTimes());
                    }
                }
            }
        }
    }
}
