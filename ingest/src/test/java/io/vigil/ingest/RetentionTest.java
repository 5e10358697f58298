package io.vigil.ingest;

import io.vigil.testbed.Postgres;
import io.vigil.testbed.WithServices;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static io.vigil.ingest.PartitionedLayout.partitionName;
import static org.assertj.core.api.Assertions.assertThat;

@WithServices(Postgres.class)
class RetentionTest {

    private final Postgres postgres;

    RetentionTest(Postgres postgres) {
        this.postgres = postgres;
    }

    @Test
    void dropsWholePartitionsOlderThanTheRetentionAndKeepsTheRest() throws SQLException {
        var db = TestDb.fresh(postgres, "retention");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Instant noon = today.atStartOfDay(ZoneOffset.UTC).plusHours(12).toInstant();
        var clock = Clock.fixed(noon, ZoneOffset.UTC);
        var settings = new StoreSettings(Duration.ofDays(7), 2);
        StoreLayout layout = new StoreSchema(db.ds(), LayoutChoice.AUTO, settings, clock).ensure();
        // Written with a longer retention, as if the retention had just been shortened.
        var writer = new SampleWriter(db.ds(), layout, new OffsetStore(db.ds(), "g"), Duration.ofDays(30), clock);
        long offset = 0;
        for (int daysAgo : List.of(10, 8, 7, 0)) {
            long t = noon.minus(Duration.ofDays(daysAgo)).toEpochMilli();
            writer.write(List.of(Batches.consumed(0, offset++, Batches.scrape("pay", "pay-1", t, daysAgo))));
        }
        assertThat(db.samplePartitions()).containsExactly(partitionName(today.minusDays(10)), partitionName(today.minusDays(8)),
                partitionName(today.minusDays(7)), partitionName(today), partitionName(today.plusDays(1)),
                partitionName(today.plusDays(2)));

        var maintenance = new StoreMaintenance(db.ds(), layout, clock);
        // Cutoff: 7 days before noon. Day -8 ended at midnight before the cutoff; day -7 still holds newer points.
        assertThat(maintenance.runOnce()).containsExactly(partitionName(today.minusDays(10)), partitionName(today.minusDays(8)));

        assertThat(db.samplePartitions()).containsExactly(partitionName(today.minusDays(7)), partitionName(today),
                partitionName(today.plusDays(1)), partitionName(today.plusDays(2)));
        assertThat(db.count("SELECT count(*) FROM samples")).isEqualTo(2 * Batches.POINTS_PER_SCRAPE);
        assertThat(db.count("SELECT count(*) FROM " + partitionName(today))).isEqualTo(Batches.POINTS_PER_SCRAPE);
        assertThat(maintenance.runOnce()).isEmpty();
    }

    @Test
    void maintenancePremakesTheComingDays() throws SQLException {
        var db = TestDb.fresh(postgres, "premake");
        Instant start = Instant.parse("2030-03-30T23:00:00Z");
        StoreLayout layout = new StoreSchema(db.ds(), LayoutChoice.PARTITIONED, new StoreSettings(Duration.ofDays(400), 1),
                Clock.fixed(start, ZoneOffset.UTC)).ensure();
        assertThat(db.samplePartitions()).containsExactly("samples_p20300330", "samples_p20300331");

        new StoreMaintenance(db.ds(), layout, Clock.fixed(start.plus(Duration.ofHours(2)), ZoneOffset.UTC)).runOnce();

        assertThat(db.samplePartitions()).containsExactly("samples_p20300330", "samples_p20300331", "samples_p20300401");
        // Rendered in the session's time zone on both sides, so this holds whatever the server's zone is.
        assertThat(db.count("SELECT count(*) FROM pg_class WHERE relname = 'samples_p20300331' AND pg_get_expr(relpartbound, oid)"
                + " = format('FOR VALUES FROM (%L) TO (%L)', timestamptz '2030-03-31 00:00:00+00', timestamptz '2030-04-01 00:00:00+00')"))
                .isEqualTo(1);
    }
}
