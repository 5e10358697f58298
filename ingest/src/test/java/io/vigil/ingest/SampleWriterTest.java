package io.vigil.ingest;

import io.vigil.model.LabelMatcher;
import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;
import io.vigil.testbed.Postgres;
import io.vigil.testbed.WithServices;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@WithServices(Postgres.class)
class SampleWriterTest {

    private static final Duration RETENTION = Duration.ofDays(30);

    private final TestDb db;
    private final StoreLayout layout;
    private final long recent = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS).toEpochMilli();

    SampleWriterTest(Postgres postgres) {
        db = TestDb.fresh(postgres, "writer");
        layout = new StoreSchema(db.ds(), LayoutChoice.PARTITIONED, StoreSettings.defaults()).ensure();
    }

    private SampleWriter writer(Duration retention) {
        return new SampleWriter(db.ds(), layout, new OffsetStore(db.ds(), "vigil-ingest"), retention);
    }

    private long rows() {
        return db.count("SELECT count(*) FROM samples");
    }

    private Map<Integer, Long> storedOffsets() {
        var result = new java.util.TreeMap<Integer, Long>();
        for (String row : db.queryStrings("SELECT partition || ':' || next_offset FROM ingest_offsets WHERE consumer_group = 'vigil-ingest'")) {
            String[] p = row.split(":");
            result.put(Integer.parseInt(p[0]), Long.parseLong(p[1]));
        }
        return result;
    }

    @Test
    void writingTheSameOffsetsAgainAddsNoRows() throws SQLException {
        var writer = writer(RETENTION);
        var batches = new ArrayList<ConsumedBatch>();
        batches.addAll(Batches.series(0, "pay", "pay-1", recent, 10));
        batches.addAll(Batches.series(1, "shop", "shop-1", recent, 5));

        var first = writer.write(batches);
        assertThat(first).isEqualTo(new WriteResult(15, 15 * Batches.POINTS_PER_SCRAPE, 0, 0, 8, 0, 0));
        assertThat(rows()).isEqualTo(60);
        assertThat(storedOffsets()).isEqualTo(Map.of(0, 10L, 1, 5L));

        // Kafka redelivers everything, to a writer that has never seen these series (a restarted process).
        var again = writer(RETENTION).write(batches);
        assertThat(again).isEqualTo(new WriteResult(0, 0, 15, 0, 0, 0, 0));
        assertThat(rows()).isEqualTo(60);

        // Redelivery overlapping new records: only offsets 10..14 of partition 0 are new.
        var overlap = new ArrayList<>(Batches.series(0, "pay", "pay-1", recent, 15).subList(5, 15));
        var third = writer.write(overlap);
        assertThat(third.batchesWritten()).isEqualTo(5);
        assertThat(third.batchesSkipped()).isEqualTo(5);
        assertThat(rows()).isEqualTo(80);
        assertThat(db.count("SELECT count(*) FROM (SELECT DISTINCT series_id, time FROM samples) d")).isEqualTo(80);
        assertThat(storedOffsets()).isEqualTo(Map.of(0, 15L, 1, 5L));
    }

    @Test
    void recordsConsumedWithoutABatchStillMoveTheOffset() throws SQLException {
        var writer = writer(RETENTION);
        writer.write(List.of(), Map.of(new TopicPartition(Batches.TOPIC, 2), 7L));
        assertThat(storedOffsets()).containsEntry(2, 7L);

        var result = writer.write(List.of(Batches.consumed(2, 6, Batches.scrape("c", "i", recent, 1)),
                Batches.consumed(2, 7, Batches.scrape("c", "i", recent + 1000, 1))));
        assertThat(result.batchesSkipped()).isEqualTo(1);
        assertThat(result.batchesWritten()).isEqualTo(1);
        assertThat(storedOffsets()).containsEntry(2, 8L);
    }

    @Test
    void aBatchSpanningTwoUtcDaysLandsInTwoPartitionsCreatedOnDemand() throws SQLException {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(3);
        long lastMilli = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() - 1;
        String before = PartitionedLayout.partitionName(day);
        String after = PartitionedLayout.partitionName(day.plusDays(1));
        assertThat(db.samplePartitions()).doesNotContain(before, after);

        writer(RETENTION).write(List.of(
                Batches.consumed(0, 0, Batches.scrape("pay", "pay-1", lastMilli, 1)),
                Batches.consumed(0, 1, Batches.scrape("pay", "pay-1", lastMilli + 1, 2))));

        assertThat(db.samplePartitions()).contains(before, after);
        assertThat(db.count("SELECT count(*) FROM " + before)).isEqualTo(Batches.POINTS_PER_SCRAPE);
        assertThat(db.count("SELECT count(*) FROM " + after)).isEqualTo(Batches.POINTS_PER_SCRAPE);
        var read = new PgSeriesReader(db.ds()).read(List.of(LabelMatcher.eq("__name__", "up")), lastMilli - 5, lastMilli + 5);
        assertThat(read).singleElement().satisfies(p -> assertThat(p.timestampsMillis()).containsExactly(lastMilli, lastMilli + 1));
    }

    @Test
    void pointsOlderThanTheRetentionAreDroppedAndCounted() throws SQLException {
        long old = Instant.now().minus(Duration.ofDays(8)).toEpochMilli();
        var result = writer(Duration.ofDays(7)).write(List.of(
                Batches.consumed(3, 0, Batches.scrape("pay", "pay-1", old, 1)),
                Batches.consumed(3, 1, Batches.scrape("pay", "pay-1", recent, 2))));

        assertThat(result.pointsExpired()).isEqualTo(Batches.POINTS_PER_SCRAPE);
        assertThat(result.pointsWritten()).isEqualTo(Batches.POINTS_PER_SCRAPE);
        assertThat(db.samplePartitions()).doesNotContain(PartitionedLayout.partitionName(
                LocalDate.ofInstant(Instant.ofEpochMilli(old), ZoneOffset.UTC)));
        assertThat(storedOffsets()).containsEntry(3, 2L);
    }

    @Test
    void pointsFromAClockFarAheadAreRefusedWithoutMakingPartitions() throws SQLException {
        long ahead = Instant.now().plus(Duration.ofDays(400)).toEpochMilli();
        var result = writer(RETENTION).write(List.of(Batches.consumed(8, 0, Batches.scrape("skew", "skew-1", ahead, 1))));

        assertThat(result.pointsWritten()).isZero();
        assertThat(result.pointsExpired()).isEqualTo(Batches.POINTS_PER_SCRAPE);
        assertThat(db.samplePartitions()).doesNotContain(PartitionedLayout.partitionName(
                LocalDate.ofInstant(Instant.ofEpochMilli(ahead), ZoneOffset.UTC)));
        assertThat(storedOffsets()).containsEntry(8, 1L);
    }

    @Test
    void specialFloatValuesSurviveBinaryCopy() throws SQLException {
        var batch = new SampleBatch("t", recent, Labels.of("cluster", "f"), List.of(
                Sample.of("v_nan", Double.NaN), Sample.of("v_pinf", Double.POSITIVE_INFINITY),
                Sample.of("v_ninf", Double.NEGATIVE_INFINITY), Sample.of("v_negzero", -0.0),
                Sample.of("v_tiny", Double.MIN_VALUE), Sample.of("v_big", -1.7976931348623157e308)));
        writer(RETENTION).write(List.of(Batches.consumed(4, 0, batch)));

        assertThat(db.queryStrings("SELECT s.metric || '=' || v.value::text FROM samples v JOIN series s ON s.id = v.series_id"
                + " WHERE s.labels->>'cluster' = 'f' ORDER BY s.metric")).containsExactly(
                "v_big=-1.7976931348623157e+308", "v_nan=NaN", "v_negzero=-0", "v_ninf=-Infinity", "v_pinf=Infinity",
                "v_tiny=5e-324");
        assertThat(db.queryLongs("SELECT (extract(epoch FROM time) * 1000)::bigint FROM samples v"
                + " JOIN series s ON s.id = v.series_id WHERE s.metric = 'v_nan'")).containsExactly(recent);
    }

    @Test
    void theStalenessMarkerKeepsItsExactBitsThroughTheStore() throws SQLException {
        var batch = new SampleBatch("t", recent, Labels.of("cluster", "stale"), List.of(
                Sample.of("v_stale", Sample.STALE_NAN), Sample.of("v_plain_nan", Double.NaN)));
        writer(RETENTION).write(List.of(Batches.consumed(7, 0, batch)));

        var read = new PgSeriesReader(db.ds()).read(List.of(LabelMatcher.eq("cluster", "stale")), recent, recent);
        assertThat(read).hasSize(2);
        assertThat(Sample.isStaleMarker(read.get(0).values()[0])).as("plain NaN").isFalse();
        assertThat(Sample.isStaleMarker(read.get(1).values()[0])).as("stale marker").isTrue();
    }

    @Test
    void seriesKeepTheMetricApartFromTheMergedLabels() throws SQLException {
        var batch = new SampleBatch("t", recent, Labels.of("cluster", "m", "channel", "target-level"),
                List.of(new Sample("lag", Labels.of("channel", "sample-level"), 1)));
        writer(RETENTION).write(List.of(Batches.consumed(5, 0, batch)));

        assertThat(db.queryStrings("SELECT metric || ' ' || labels::text FROM series WHERE labels->>'cluster' = 'm'"))
                .containsExactly("lag {\"channel\": \"sample-level\", \"cluster\": \"m\"}");
    }

    @Test
    void aFailedWriteLeavesNothingAndCanBeRepeated() throws SQLException {
        var writer = writer(RETENTION);
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(5);
        long t = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() + 3_600_000;
        writer.write(List.of(Batches.consumed(6, 0, Batches.scrape("x", "x-1", t, 1))));
        long seriesBefore = db.count("SELECT count(*) FROM series");
        // Retention in another process drops the partition this writer believes exists.
        db.execute("DROP TABLE " + PartitionedLayout.partitionName(day));

        var next = List.of(Batches.consumed(6, 1, Batches.scrape("y", "y-1", t + 10_000, 2)));
        assertThatThrownBy(() -> writer.write(next))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("COPY of 1 batches into samples failed (vigil.samples/6@1..1)");
        assertThat(db.count("SELECT count(*) FROM series")).as("new series rolled back").isEqualTo(seriesBefore);
        assertThat(storedOffsets()).containsEntry(6, 1L);

        var retried = writer.write(next);
        assertThat(retried.pointsWritten()).isEqualTo(Batches.POINTS_PER_SCRAPE);
        assertThat(retried.seriesCreated()).isEqualTo(Batches.POINTS_PER_SCRAPE);
        assertThat(db.count("SELECT count(*) FROM " + PartitionedLayout.partitionName(day))).isEqualTo(Batches.POINTS_PER_SCRAPE);
        assertThat(storedOffsets()).containsEntry(6, 2L);
    }
}
