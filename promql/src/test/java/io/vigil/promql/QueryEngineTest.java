package io.vigil.promql;

import io.vigil.model.Labels;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryEngineTest {

    private static final long MIN = 60_000;
    private static final long T = 1_700_000_000_000L;
    private static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

    private final InMemorySeriesReader reader = new InMemorySeriesReader();
    private final QueryEngine engine = new QueryEngine(reader);

    private static Labels up(String instance) {
        return Labels.of("__name__", "up", "instance", instance);
    }

    private static Expr q(String query) {
        return PromQlParser.parse(query);
    }

    private List<InstantSample> instant(String query, long t) {
        return instant(engine, query, t);
    }

    private static List<InstantSample> instant(QueryEngine engine, String query, long t) {
        return ((QueryResult.VectorResult) engine.instant(q(query), t)).samples();
    }

    @Test
    void instantTakesTheNewestPointAtOrBeforeTimeAndStampsItWithTheEvaluationTime() {
        reader.add(up("a"), T - 3 * MIN, 1, T - MIN, 2, T, 3, T + 1, 4);
        assertThat(instant("up", T)).containsExactly(new InstantSample(up("a"), T, 3));
        assertThat(instant("up", T - 1)).containsExactly(new InstantSample(up("a"), T - 1, 2));
    }

    @Test
    void lookbackWindowIsClosedAtFiveMinutesBackAsInPrometheus2() {
        // Prometheus 2.x keeps a point exactly one lookback old (3.0 made the window left-open).
        reader.add(up("exactly-5m"), T - 5 * MIN, 1)
                .add(up("just-inside"), T - 5 * MIN + 1, 2)
                .add(up("too-old"), T - 5 * MIN - 1, 3);
        assertThat(instant("up", T)).extracting(s -> s.labels().get("instance")).containsExactly("exactly-5m", "just-inside");
    }

    @Test
    void instantReadsTheStoreOnceOverTheLookbackWindow() {
        reader.add(up("a"), T, 1);
        instant("up{instance=\"a\"}", T);
        assertThat(reader.reads).singleElement().satisfies(r -> {
            assertThat(r.startMillis()).isEqualTo(T - 5 * MIN);
            assertThat(r.endMillis()).isEqualTo(T);
            assertThat(r.matchers()).isEqualTo(((VectorSelector) q("up{instance=\"a\"}")).matchers());
        });
    }

    @Test
    void resultKeepsTheMetricNameAndIsOrderedByLabels() {
        reader.add(Labels.of("__name__", "up", "instance", "b"), T, 1)
                .add(Labels.of("__name__", "up", "instance", "a", "zone", "z"), T, 2)
                .add(Labels.of("__name__", "up", "instance", "a"), T, 3)
                .add(Labels.of("__name__", "down", "instance", "a"), T, 4);
        assertThat(instant("{instance=~\".+\"}", T)).extracting(InstantSample::labels).containsExactly(
                Labels.of("__name__", "down", "instance", "a"),
                Labels.of("__name__", "up", "instance", "a"),
                Labels.of("__name__", "up", "instance", "a", "zone", "z"),
                Labels.of("__name__", "up", "instance", "b"));
    }

    @Test
    void stalenessMarkerAsNewestPointHidesTheSeriesButOrdinaryNaNIsAValue() {
        reader.add(up("stale"), T - 2 * MIN, 1, T - MIN, STALE_NAN)
                .add(up("nan"), T - MIN, Double.NaN);
        List<InstantSample> result = instant("up", T);
        assertThat(result).singleElement().satisfies(s -> {
            assertThat(s.labels().get("instance")).isEqualTo("nan");
            assertThat(s.value()).isNaN();
        });
    }

    @Test
    void rangeEvaluatesAtStepTimesAlignedOnStartAndNotPastEnd() {
        reader.add(up("a"), T, 1, T + 30_000, 2, T + 65_000, 3);
        List<RangeSeries> result = engine.range(q("up"), T, T + 110_000, 30_000);
        assertThat(result).singleElement().satisfies(s -> {
            assertThat(s.timestampsMillis()).containsExactly(T, T + 30_000, T + 60_000, T + 90_000);
            assertThat(s.values()).containsExactly(1, 2, 2, 3);
        });
    }

    @Test
    void rangeLeavesGapsWhereThePointsAreOlderThanTheLookback() {
        reader.add(up("a"), T, 1, T + 20 * MIN, 2);
        RangeSeries s = engine.range(q("up"), T, T + 20 * MIN, MIN).get(0);
        // Values at T .. T+5m from the first point, none after, then the second point at T+20m.
        assertThat(s.timestampsMillis()).containsExactly(T, T + MIN, T + 2 * MIN, T + 3 * MIN, T + 4 * MIN, T + 5 * MIN, T + 20 * MIN);
        assertThat(s.values()).containsExactly(1, 1, 1, 1, 1, 1, 2);
    }

    @Test
    void rangeUsesPointsFromBeforeStartWithinTheLookbackAndReadsOnce() {
        reader.add(up("a"), T - 4 * MIN, 7).add(up("old"), T - 5 * MIN - 1, 8);
        List<RangeSeries> result = engine.range(q("up"), T, T + 2 * MIN, MIN);
        assertThat(result).singleElement().satisfies(s -> {
            assertThat(s.labels()).isEqualTo(up("a"));
            assertThat(s.timestampsMillis()).containsExactly(T, T + MIN);
            assertThat(s.values()).containsExactly(7, 7);
        });
        assertThat(reader.reads).singleElement().satisfies(r -> {
            assertThat(r.startMillis()).isEqualTo(T - 5 * MIN);
            assertThat(r.endMillis()).isEqualTo(T + 2 * MIN);
        });
    }

    @Test
    void rangeSkipsStalenessMarkers() {
        reader.add(up("a"), T, 1, T + MIN, STALE_NAN, T + 2 * MIN, 3);
        RangeSeries s = engine.range(q("up"), T, T + 2 * MIN, MIN).get(0);
        assertThat(s.timestampsMillis()).containsExactly(T, T + 2 * MIN);
    }

    @Test
    void startEqualToEndIsOneStep() {
        reader.add(up("a"), T, 1);
        assertThat(engine.range(q("up"), T, T, 15_000).get(0).timestampsMillis()).containsExactly(T);
    }

    @Test
    void atMostElevenThousandStepsLikePrometheus() {
        reader.add(up("a"), T, 1);
        // (end - start) / step == 11,000 is accepted: 11,001 points.
        assertThat(engine.range(q("up"), T, T + 11_000 * 1000L, 1000)).hasSize(1);
        assertThatThrownBy(() -> engine.range(q("up"), T, T + 11_001 * 1000L, 1000))
                .isInstanceOf(BadQueryException.class)
                .hasMessage("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
    }

    @Test
    void lookbackIsConfigurable() {
        reader.add(up("a"), T - 2 * MIN, 1);
        QueryEngine shortLookback = new QueryEngine(reader, MIN);
        assertThat(instant(shortLookback, "up", T)).isEmpty();
        assertThat(instant("up", T)).hasSize(1);
    }
}
