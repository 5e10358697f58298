package io.vigil.promql;

import io.vigil.model.Labels;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Evaluation rules the golden comparison does not pin down by itself: label handling, errors,
 * edge cases, and how the store is read. Points are 15 s apart unless stated.
 */
class PromQlEvaluationTest {

    private static final long MIN = 60_000;
    private static final long T = 1_700_000_040_000L;

    private final InMemorySeriesReader reader = new InMemorySeriesReader();
    private final QueryEngine engine = new QueryEngine(reader);

    /** A series with a point every 15 s from T - 10m to T: {@code value(i) = start + i * slope}. */
    private InMemorySeriesReader line(Labels labels, double start, double slope) {
        var tv = new double[2 * 41];
        for (int i = 0; i <= 40; i++) {
            tv[2 * i] = T - 10 * MIN + i * 15_000L;
            tv[2 * i + 1] = start + i * slope;
        }
        return reader.add(labels, tv);
    }

    private List<InstantSample> vector(String query) {
        return ((QueryResult.VectorResult) engine.instant(PromQlParser.parse(query), T)).samples();
    }

    private static Labels l(String... namesAndValues) {
        return Labels.of(namesAndValues);
    }

    @Test
    void rateOfASteadyCounterIsItsSlopeAndNamesAreDropped() {
        line(l("__name__", "req_total", "job", "a"), 100, 30);
        assertThat(vector("rate(req_total[5m])")).singleElement().satisfies(s -> {
            assertThat(s.labels()).isEqualTo(l("job", "a"));
            assertThat(s.value()).isCloseTo(2.0, within(1e-12));
        });
        // increase() over 5 m of 2/s, extrapolated to the whole window: 600.
        assertThat(vector("increase(req_total[5m])").get(0).value()).isCloseTo(600, within(1e-9));
        assertThat(vector("irate(req_total[1m])").get(0).value()).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void counterResetsAreAddedBackAndExtrapolationStopsAtZero() {
        // 0, 10, 20, then a reset to 5: the increase is 20 + 5 = 25 over 45 s of samples.
        reader.add(l("__name__", "c"), T - 45_000, 0, T - 30_000, 10, T - 15_000, 20, T, 5);
        double sampled = 45;
        // The first point is 0: the counter started within the window, so no extrapolation before it.
        double expected = 25 * (sampled + 0 + 0) / sampled / 60;
        assertThat(vector("rate(c[1m])").get(0).value()).isCloseTo(expected, within(1e-12));
        // irate after a reset counts from zero.
        assertThat(vector("irate(c[1m])").get(0).value()).isCloseTo(5 / 15.0, within(1e-12));
        // delta ignores resets: last - first, extrapolated (durationToStart 15 s < 1.1 * 15 s).
        assertThat(vector("delta(c[1m])").get(0).value()).isCloseTo(5 * (45 + 15) / 45.0, within(1e-12));
    }

    @Test
    void aRateNeedsTwoPoints() {
        reader.add(l("__name__", "c"), T - 10_000, 1);
        assertThat(vector("rate(c[1m])")).isEmpty();
        assertThat(vector("count_over_time(c[1m])")).extracting(InstantSample::value).containsExactly(1.0);
    }

    @Test
    void rangesAreClosedAtBothEndsAsInPrometheus2() {
        reader.add(l("__name__", "g"), T - MIN, 1, T - 30_000, 2, T, 3);
        assertThat(vector("count_over_time(g[1m])").get(0).value()).isEqualTo(3);
        assertThat(vector("count_over_time(g[59999ms])").get(0).value()).isEqualTo(2);
    }

    @Test
    void lastOverTimeKeepsTheNameLikeAnOffset() {
        reader.add(l("__name__", "g", "x", "1"), T - 30_000, 7);
        assertThat(vector("last_over_time(g[1m])")).containsExactly(new InstantSample(l("__name__", "g", "x", "1"), T, 7));
        assertThat(vector("max_over_time(g[1m])")).containsExactly(new InstantSample(l("x", "1"), T, 7));
    }

    @Test
    void droppingTheNameMustNotMergeSeries() {
        reader.add(l("__name__", "a", "x", "1"), T, 1).add(l("__name__", "b", "x", "1"), T, 2);
        assertThatThrownBy(() -> vector("abs({x=\"1\"})"))
                .isInstanceOf(QueryExecutionException.class).hasMessage("vector cannot contain metrics with the same labelset");
        assertThatThrownBy(() -> vector("{x=\"1\"} * 2")).isInstanceOf(QueryExecutionException.class);
        // A filter keeps the names, so the series stay apart.
        assertThat(vector("{x=\"1\"} > 0")).hasSize(2);
    }

    @Test
    void comparisonsFilterAndKeepValuesBoolGivesZeroOrOne() {
        reader.add(l("__name__", "g", "i", "a"), T, 1).add(l("__name__", "g", "i", "b"), T, 5);
        assertThat(vector("g > 2")).containsExactly(new InstantSample(l("__name__", "g", "i", "b"), T, 5));
        assertThat(vector("2 < g")).containsExactly(new InstantSample(l("__name__", "g", "i", "b"), T, 5));
        assertThat(vector("g > bool 2")).containsExactly(new InstantSample(l("i", "a"), T, 0), new InstantSample(l("i", "b"), T, 1));
        assertThat(vector("-g")).extracting(InstantSample::labels).containsExactly(l("i", "a"), l("i", "b"));
    }

    @Test
    void oneToOneMatchingOnAndIgnoring() {
        reader.add(l("__name__", "used", "i", "a", "kind", "disk"), T, 30)
                .add(l("__name__", "size", "i", "a", "kind", "total"), T, 120)
                .add(l("__name__", "size", "i", "b", "kind", "total"), T, 50);
        assertThat(vector("used / on(i) size")).containsExactly(new InstantSample(l("i", "a"), T, 0.25));
        assertThat(vector("used / ignoring(kind) size")).containsExactly(new InstantSample(l("i", "a"), T, 0.25));
        assertThat(vector("used / size")).isEmpty(); // kind differs
        assertThat(vector("size > on(i) used")).containsExactly(new InstantSample(l("i", "a"), T, 120));
    }

    @Test
    void ambiguousMatchingIsAnExecutionError() {
        reader.add(l("__name__", "x", "i", "a", "k", "1"), T, 1)
                .add(l("__name__", "x", "i", "a", "k", "2"), T, 2)
                .add(l("__name__", "y", "i", "a"), T, 3);
        assertThatThrownBy(() -> vector("y + on(i) x"))
                .isInstanceOf(QueryExecutionException.class)
                .hasMessageStartingWith("found duplicate series for the match group {i=\"a\"} on the right hand side of the operation")
                .hasMessageEndingWith("many-to-many matching not allowed: matching labels must be unique on one side");
        assertThatThrownBy(() -> vector("x + on(i) y"))
                .isInstanceOf(QueryExecutionException.class)
                .hasMessage("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
    }

    @Test
    void aggregationsGroupByAndWithout() {
        reader.add(l("__name__", "g", "job", "a", "i", "1"), T, 1)
                .add(l("__name__", "g", "job", "a", "i", "2"), T, 3)
                .add(l("__name__", "g", "job", "b", "i", "3"), T, 10);
        assertThat(vector("sum by (job) (g)")).containsExactly(new InstantSample(l("job", "a"), T, 4), new InstantSample(l("job", "b"), T, 10));
        assertThat(vector("avg without (i) (g)")).containsExactly(new InstantSample(l("job", "a"), T, 2), new InstantSample(l("job", "b"), T, 10));
        assertThat(vector("count(g)")).containsExactly(new InstantSample(Labels.EMPTY, T, 3));
        assertThat(vector("max(g) by (nosuch)")).containsExactly(new InstantSample(Labels.EMPTY, T, 10));
        assertThat(vector("quantile(0.5, g)")).containsExactly(new InstantSample(Labels.EMPTY, T, 3));
        assertThat(vector("quantile(2, g)").get(0).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(vector("topk(1, g) by (job)")).extracting(InstantSample::labels)
                .containsExactlyInAnyOrder(l("__name__", "g", "job", "a", "i", "2"), l("__name__", "g", "job", "b", "i", "3"));
        assertThat(vector("bottomk(2.9, g)")).extracting(InstantSample::value).containsExactlyInAnyOrder(1.0, 3.0);
        assertThat(vector("topk(0, g)")).isEmpty();
    }

    @Test
    void nanLosesToNumbersInMinAndMax() {
        reader.add(l("__name__", "g", "i", "1"), T, Double.NaN).add(l("__name__", "g", "i", "2"), T, 4);
        assertThat(vector("max(g)").get(0).value()).isEqualTo(4);
        assertThat(vector("min(g)").get(0).value()).isEqualTo(4);
        assertThat(vector("topk(1, g)").get(0).value()).isEqualTo(4);
    }

    @Test
    void clampAndAbsent() {
        reader.add(l("__name__", "g", "i", "1"), T, -3).add(l("__name__", "g", "i", "2"), T, 12);
        assertThat(vector("clamp(g, 0, 10)")).extracting(InstantSample::value).containsExactly(0.0, 10.0);
        assertThat(vector("clamp(g, 10, 0)")).isEmpty();
        assertThat(vector("absent(g)")).isEmpty();
        assertThat(vector("absent(nothing{job=\"x\", env=\"a\", env=\"b\", i=~\"1\"})"))
                .containsExactly(new InstantSample(l("job", "x"), T, 1));
        assertThat(vector("absent(sum(nothing{job=\"x\"}))")).containsExactly(new InstantSample(Labels.EMPTY, T, 1));
    }

    @Test
    void scalarsAndTheirConversions() {
        reader.add(l("__name__", "g"), T, 4);
        assertThat(engine.instant(PromQlParser.parse("1 + 1"), T)).isEqualTo(new QueryResult.ScalarResult(T, 2));
        assertThat(engine.instant(PromQlParser.parse("time()"), T)).isEqualTo(new QueryResult.ScalarResult(T, T / 1000.0));
        assertThat(engine.instant(PromQlParser.parse("scalar(g) * 2"), T)).isEqualTo(new QueryResult.ScalarResult(T, 8));
        assertThat(engine.instant(PromQlParser.parse("scalar(nothing)"), T)).satisfies(r ->
                assertThat(((QueryResult.ScalarResult) r).value()).isNaN());
        assertThat(vector("vector(1) - 3")).containsExactly(new InstantSample(Labels.EMPTY, T, -2));
        assertThat(engine.instant(PromQlParser.parse("(-1) ^ (1/0) + 1 ^ (0/0)"), T)).isEqualTo(new QueryResult.ScalarResult(T, 2));
    }

    @Test
    void aRangeQueryOfAScalarIsOneSeriesWithoutLabels() {
        List<RangeSeries> result = engine.range(PromQlParser.parse("time() - 1"), T, T + 30_000, 15_000);
        assertThat(result).singleElement().satisfies(s -> {
            assertThat(s.labels()).isEqualTo(Labels.EMPTY);
            assertThat(s.values()).containsExactly(T / 1000.0 - 1, T / 1000.0 + 14, T / 1000.0 + 29);
        });
    }

    @Test
    void aRangeQueryCollectsEachLabelSetAcrossSteps() {
        reader.add(l("__name__", "g", "i", "a"), T, 1, T + 60_000, 5).add(l("__name__", "g", "i", "b"), T, 3, T + 60_000, 2);
        List<RangeSeries> result = engine.range(PromQlParser.parse("topk(1, g)"), T, T + 60_000, 60_000);
        assertThat(result).extracting(s -> s.labels().get("i")).containsExactly("a", "b");
        assertThat(result.get(0).timestampsMillis()).containsExactly(T + 60_000);
        assertThat(result.get(1).timestampsMillis()).containsExactly(T);
    }

    @Test
    void eachSelectorIsReadOnceOverWhatItsStepsNeed() {
        reader.add(l("__name__", "a"), T, 1).add(l("__name__", "b"), T, 1);
        engine.range(PromQlParser.parse("rate(a[5m] offset 1m) + on() b offset -2m + a"), T, T + 10 * MIN, MIN);
        assertThat(reader.reads).extracting(r -> List.of(r.startMillis() - T, r.endMillis() - T)).containsExactly(
                List.of(-6 * MIN, 9 * MIN),   // a[5m] offset 1m
                List.of(-3 * MIN, 12 * MIN),  // b offset -2m, lookback 5m
                List.of(-5 * MIN, 10 * MIN)); // a
    }

    @Test
    void aTopLevelRangeSelectorGivesRawPointsInAnInstantQuery() {
        reader.add(l("__name__", "g"), T - 90_000, 1, T - 45_000, 2, T, 3);
        QueryResult r = engine.instant(PromQlParser.parse("g[1m]"), T);
        assertThat(r).isInstanceOfSatisfying(QueryResult.MatrixResult.class, m -> assertThat(m.series()).singleElement()
                .satisfies(s -> assertThat(s.timestampsMillis()).containsExactly(T - 45_000, T)));
    }
}
