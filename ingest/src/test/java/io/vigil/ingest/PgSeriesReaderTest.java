package io.vigil.ingest;

import io.vigil.model.SeriesReader;
import io.vigil.model.SeriesPoints;
import io.vigil.model.LabelMatcher;
import io.vigil.model.LabelMatcher.Op;
import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;
import io.vigil.testbed.Postgres;
import io.vigil.testbed.WithServices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static io.vigil.model.LabelMatcher.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@WithServices(Postgres.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgSeriesReaderTest {

    private final TestDb db;
    private final PgSeriesReader reader;
    private final long t0 = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS).toEpochMilli();

    PgSeriesReaderTest(Postgres postgres) {
        db = TestDb.fresh(postgres, "reader");
        reader = new PgSeriesReader(db.ds());
    }

    /** pay-1, pay-2 in cluster pay and shop-1 in shop, three scrapes each, 10 s apart. */
    @BeforeAll
    void writeFixture() throws SQLException {
        StoreLayout layout = new StoreSchema(db.ds(), LayoutChoice.AUTO, StoreSettings.defaults()).ensure();
        var writer = new SampleWriter(db.ds(), layout, new OffsetStore(db.ds(), "readers"), Duration.ofDays(30));
        var batches = new ArrayList<ConsumedBatch>();
        long offset = 0;
        for (String instance : List.of("pay-1", "pay-2", "shop-1")) {
            String cluster = instance.substring(0, instance.indexOf('-'));
            for (int i = 0; i < 3; i++) {
                batches.add(Batches.consumed(0, offset++, Batches.scrape(cluster, instance, t0 + i * 10_000L, 100 + i)));
            }
        }
        batches.add(Batches.consumed(0, offset, new SampleBatch("odd", t0, Labels.of("cluster", "odd"),
                List.of(Sample.of("ratio", Double.NaN)))));
        assertThat(writer.write(batches).pointsWritten()).isEqualTo(9 * Batches.POINTS_PER_SCRAPE + 1);
    }

    private List<SeriesPoints> read(LabelMatcher... matchers) {
        return reader.read(List.of(matchers), t0, t0 + 20_000);
    }

    private static List<String> labelsOf(List<SeriesPoints> result) {
        return result.stream().map(p -> p.labels().toString()).toList();
    }

    @Test
    void metricNameEqualityReturnsEverySeriesWithItsPointsOldestFirst() {
        var result = read(LabelMatcher.eq("__name__", "mysql_threads_connected"));

        assertThat(labelsOf(result)).containsExactly(
                "{__name__=\"mysql_threads_connected\", cluster=\"pay\", instance=\"pay-1\", kind=\"mysql\"}",
                "{__name__=\"mysql_threads_connected\", cluster=\"pay\", instance=\"pay-2\", kind=\"mysql\"}",
                "{__name__=\"mysql_threads_connected\", cluster=\"shop\", instance=\"shop-1\", kind=\"mysql\"}");
        for (SeriesPoints p : result) {
            assertThat(p.timestampsMillis()).containsExactly(t0, t0 + 10_000, t0 + 20_000);
            assertThat(p.values()).containsExactly(100, 101, 102);
        }
    }

    @Test
    void labelEquality() {
        var result = read(LabelMatcher.eq("__name__", "mysql_replication_lag_seconds"), LabelMatcher.eq("cluster", "pay"));

        assertThat(result).hasSize(4).allSatisfy(p -> assertThat(p.labels().get("cluster")).isEqualTo("pay"));
        assertThat(result).extracting(p -> p.labels().get("channel")).containsExactlyInAnyOrder("a", "b", "a", "b");
    }

    @Test
    void labelInequality() {
        var result = read(LabelMatcher.eq("__name__", "mysql_replication_lag_seconds"), of("channel", Op.NEQ, "a"));

        assertThat(result).hasSize(3).allSatisfy(p -> assertThat(p.labels().get("channel")).isEqualTo("b"));
        assertThat(result.getFirst().values()).containsExactly(100 / 20.0, 101 / 20.0, 102 / 20.0);
    }

    @Test
    void regexIsAnchoredAndWorksWithoutAMetricName() {
        assertThat(read(of("instance", Op.RE, "pay-.*"))).hasSize(2 * Batches.POINTS_PER_SCRAPE)
                .allSatisfy(p -> assertThat(p.labels().get("instance")).startsWith("pay-"));
        assertThat(read(of("instance", Op.RE, "ay-.*"))).isEmpty();
        assertThat(labelsOf(read(of("__name__", Op.RE, "u.|rat.o"), of("cluster", Op.RE, "shop|odd"))))
                .containsExactly("{__name__=\"ratio\", cluster=\"odd\"}",
                        "{__name__=\"up\", cluster=\"shop\", instance=\"shop-1\", kind=\"mysql\"}");
    }

    @Test
    void negativeRegex() {
        var result = read(of("__name__", Op.RE, "mysql_.*"), of("cluster", Op.NRE, "pa."));

        assertThat(result).hasSize(3).allSatisfy(p -> assertThat(p.labels().get("cluster")).isEqualTo("shop"));
    }

    @Test
    void anAbsentLabelMatchesTheEmptyString() {
        var result = read(LabelMatcher.eq("__name__", "mysql_replication_lag_seconds"), LabelMatcher.eq("channel", ""));
        assertThat(result).isEmpty();

        var up = read(LabelMatcher.eq("__name__", "up"), LabelMatcher.eq("channel", ""));
        assertThat(up).hasSize(3);
    }

    @Test
    void timeRangeIsInclusiveAndSeriesWithoutPointsInItAreLeftOut() {
        var inner = reader.read(List.of(LabelMatcher.eq("instance", "pay-1"), LabelMatcher.eq("__name__", "up")), t0 + 10_000, t0 + 20_000);
        assertThat(inner).singleElement().satisfies(p -> assertThat(p.timestampsMillis()).containsExactly(t0 + 10_000, t0 + 20_000));

        assertThat(reader.read(List.of(LabelMatcher.eq("__name__", "up")), t0 + 10_001, t0 + 19_999)).isEmpty();
        assertThat(reader.read(List.of(LabelMatcher.eq("__name__", "up")), t0 + 20_000, t0)).isEmpty();
    }

    @Test
    void nanIsStoredAndReadBack() {
        assertThat(read(LabelMatcher.eq("__name__", "ratio"))).singleElement()
                .satisfies(p -> assertThat(p.values()).hasSize(1).satisfies(v -> assertThat(Double.isNaN(v[0])).isTrue()));
    }

    @Test
    void unknownMetricGivesNothing() {
        assertThat(read(LabelMatcher.eq("__name__", "nope"))).isEmpty();
    }

    @Test
    void selectorsThatMatchEverythingAreRefused() {
        for (List<LabelMatcher> matchers : List.of(List.<LabelMatcher>of(), List.of(of("__name__", Op.RE, ".*")),
                List.of(LabelMatcher.eq("cluster", ""), of("instance", Op.NRE, "x.+")))) {
            assertThatThrownBy(() -> reader.read(matchers, t0, t0 + 20_000))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("vector selector must contain at least one non-empty matcher");
        }
        assertThat(reader.read(List.of(of("cluster", Op.NEQ, "")), t0, t0 + 20_000)).hasSize(3 * Batches.POINTS_PER_SCRAPE + 1);
    }

    private List<String> series(long start, long end, LabelMatcher... matchers) {
        return reader.series(List.of(matchers), start, end).stream().map(Labels::toString).toList();
    }

    @Test
    void seriesListsLabelSetsWithEqualitiesPushedDownAndTheRestFilteredExactly() {
        assertThat(series(t0, t0 + 20_000, LabelMatcher.eq("__name__", "mysql_replication_lag_seconds"),
                LabelMatcher.eq("cluster", "pay"), LabelMatcher.eq("channel", "a"), of("instance", Op.NEQ, "pay-2")))
                .containsExactly("{__name__=\"mysql_replication_lag_seconds\", channel=\"a\", cluster=\"pay\", instance=\"pay-1\", kind=\"mysql\"}");
        // An equality to "" means "label absent": it must not become a containment test.
        assertThat(series(t0, t0 + 20_000, LabelMatcher.eq("__name__", "up"), LabelMatcher.eq("channel", ""))).hasSize(3);
        assertThat(series(t0, t0 + 20_000, LabelMatcher.eq("cluster", "pay"), LabelMatcher.eq("cluster", "shop"))).isEmpty();
        assertThat(series(t0, t0 + 20_000, of("instance", Op.RE, "shop-.*"))).hasSize(Batches.POINTS_PER_SCRAPE);
    }

    @Test
    void seriesNeedAPointInTheTimeRangeUnlessUnbounded() {
        assertThat(series(t0 + 1, t0 + 20_000, LabelMatcher.eq("__name__", "ratio"))).isEmpty();
        assertThat(series(t0, t0, LabelMatcher.eq("__name__", "ratio"))).hasSize(1);
        assertThat(series(SeriesReader.UNBOUNDED_START, SeriesReader.UNBOUNDED_END, LabelMatcher.eq("__name__", "ratio")))
                .containsExactly("{__name__=\"ratio\", cluster=\"odd\"}");
        assertThat(series(t0 + 20_001, SeriesReader.UNBOUNDED_END, LabelMatcher.eq("__name__", "up"))).isEmpty();
        assertThat(series(t0 + 20_000, t0, LabelMatcher.eq("__name__", "up"))).isEmpty();
    }

    @Test
    void noMatcherListsEverySeries() {
        assertThat(reader.series(List.of(), SeriesReader.UNBOUNDED_START, SeriesReader.UNBOUNDED_END))
                .hasSize(3 * Batches.POINTS_PER_SCRAPE + 1);
        assertThat(reader.series(List.of(), t0 + 10_000, t0 + 20_000)).hasSize(3 * Batches.POINTS_PER_SCRAPE);
    }
}
