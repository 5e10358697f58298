package io.vigil.promql;

import io.vigil.model.Labels;
import io.vigil.model.SeriesPoints;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A query answered from rollups must give what the raw points give: the same series, the same steps,
 * the same values (up to the order in which floating-point sums are added). The data is built to hit
 * the edges: points exactly on bucket ends, counter resets inside and across buckets, staleness
 * markers, gaps longer than the lookback, jittered scrape times.
 */
class RollupEquivalenceTest {

    private static final long MIN = 60_000;
    private static final long HOUR = 60 * MIN;
    private static final long T0 = 1_700_000_000_000L / HOUR * HOUR;
    private static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

    static Stream<Arguments> queries() {
        var queries = List.of(
                "requests_total", "requests_total offset 1h", "rate(requests_total[5m])", "increase(requests_total[1h])",
                "rate(requests_total[5m] offset 2m)", "delta(temperature[10m])", "avg_over_time(temperature[5m])",
                "min_over_time(temperature[1h])", "max_over_time(temperature[3m])", "sum_over_time(temperature[2h])",
                "count_over_time(requests_total[5m])", "last_over_time(temperature[1h])",
                "sum by (job) (rate(requests_total[5m]))", "temperature > 50", "increase(requests_total[2h]) / 3600");
        var steps = List.of(MIN, 5 * MIN, HOUR);
        var out = new ArrayList<Arguments>();
        for (String q : queries) {
            for (long step : steps) {
                out.add(Arguments.of(q, step));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} step {1} ms")
    @MethodSource("queries")
    void rollupsAnswerAsTheRawPointsDo(String query, long step) {
        var raw = new InMemorySeriesReader();
        var rolled = new InMemorySeriesReader().withRollups();
        for (SeriesPoints s : fleet()) {
            raw.add(s);
            rolled.add(s);
        }
        long start = T0 + 2 * HOUR;
        long end = T0 + 20 * HOUR;

        var expected = new QueryEngine(raw).range(PromQlParser.parse(query), start, end, step);
        var actual = new QueryEngine(rolled).range(PromQlParser.parse(query), start, end, step);

        assertThat(rolled.bucketReads).as("answered from rollups").isNotEmpty();
        assertSameAnswer(actual, expected);
    }

    @Test
    void theWidestRollupThatLinesUpIsRead() {
        var reader = new InMemorySeriesReader().withRollups();
        fleet().forEach(reader::add);
        var engine = new QueryEngine(reader);

        engine.range(PromQlParser.parse("increase(requests_total[1h])"), T0 + 2 * HOUR, T0 + 20 * HOUR, HOUR);
        engine.range(PromQlParser.parse("rate(requests_total[5m])"), T0 + 2 * HOUR, T0 + 20 * HOUR, HOUR);
        engine.range(PromQlParser.parse("rate(requests_total[5m])"), T0 + 2 * HOUR, T0 + 3 * HOUR, 5 * MIN);

        assertThat(reader.bucketReads).containsExactly(HOUR, MIN, MIN);
    }

    @Test
    void unalignedStepsRangesAndFunctionsWithoutASummaryReadRawPoints() {
        var reader = new InMemorySeriesReader().withRollups();
        fleet().forEach(reader::add);
        var engine = new QueryEngine(reader);

        engine.range(PromQlParser.parse("rate(requests_total[5m])"), T0 + 2 * HOUR + 15_000, T0 + 3 * HOUR, MIN);
        engine.range(PromQlParser.parse("rate(requests_total[90s])"), T0 + 2 * HOUR, T0 + 3 * HOUR, MIN);
        engine.range(PromQlParser.parse("requests_total"), T0 + 2 * HOUR, T0 + 3 * HOUR, 30_000);
        engine.range(PromQlParser.parse("irate(requests_total[5m])"), T0 + 2 * HOUR, T0 + 3 * HOUR, MIN);
        engine.range(PromQlParser.parse("quantile_over_time(0.9, temperature[5m])"), T0 + 2 * HOUR, T0 + 3 * HOUR, MIN);
        engine.instant(PromQlParser.parse("rate(requests_total[1h])"), T0 + 3 * HOUR);

        assertThat(reader.bucketReads).isEmpty();
    }

    @Test
    void anOrdinaryNaNReadingSendsTheQueryBackToRawPoints() {
        var withNaN = new SeriesPoints(Labels.of("__name__", "temperature", "job", "nan", "instance", "x"),
                new long[]{T0 + 2 * HOUR, T0 + 2 * HOUR + MIN, T0 + 2 * HOUR + 2 * MIN},
                new double[]{1, Double.NaN, 3});
        var raw = new InMemorySeriesReader().add(withNaN);
        var rolled = new InMemorySeriesReader().withRollups().add(withNaN);
        var query = PromQlParser.parse("avg_over_time(temperature[5m])");

        var expected = new QueryEngine(raw).range(query, T0 + 2 * HOUR, T0 + 3 * HOUR, MIN);
        var actual = new QueryEngine(rolled).range(query, T0 + 2 * HOUR, T0 + 3 * HOUR, MIN);

        assertThat(rolled.bucketReads).isNotEmpty();
        assertSameAnswer(actual, expected);
        assertThat(actual.getFirst().values()[1]).as("1, NaN averaged").isNaN();
    }

    private static void assertSameAnswer(List<RangeSeries> actual, List<RangeSeries> expected) {
        assertThat(actual).extracting(RangeSeries::labels).containsExactlyElementsOf(expected.stream().map(RangeSeries::labels).toList());
        assertThat(expected).as("the query selects something").isNotEmpty();
        for (int i = 0; i < expected.size(); i++) {
            var e = expected.get(i);
            var a = actual.get(i);
            assertThat(a.timestampsMillis()).as("steps of %s", e.labels()).containsExactly(e.timestampsMillis());
            for (int k = 0; k < e.values().length; k++) {
                double ev = e.values()[k];
                double av = a.values()[k];
                if (Double.isNaN(ev)) {
                    assertThat(av).as("%s at %d", e.labels(), e.timestampsMillis()[k]).isNaN();
                } else {
                    assertThat(av).as("%s at %d", e.labels(), e.timestampsMillis()[k])
                            .isCloseTo(ev, org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, Math.abs(ev))));
                }
            }
        }
    }

    /** A day of points: counters and gauges, on and off the minute, with resets, staleness and gaps. */
    private static List<SeriesPoints> fleet() {
        var random = new SplittableRandom(42);
        var out = new ArrayList<SeriesPoints>();
        for (int i = 0; i < 6; i++) {
            String job = i % 2 == 0 ? "db" : "cache";
            long interval = i < 3 ? 15_000 : 10_000 + i * 1_000L;
            long jitter = i % 3 == 2 ? 1_234 : 0; // 0: points fall exactly on bucket ends
            out.add(series(Labels.of("__name__", "requests_total", "job", job, "instance", "i" + i), random, interval, jitter, true));
            out.add(series(Labels.of("__name__", "temperature", "job", job, "instance", "i" + i), random, interval, jitter, false));
        }
        return out;
    }

    private static SeriesPoints series(Labels labels, SplittableRandom random, long interval, long jitter, boolean counter) {
        var ts = new ArrayList<Long>();
        var vs = new ArrayList<Double>();
        double value = 0;
        for (long t = T0 + jitter; t < T0 + 24 * HOUR; t += interval) {
            long sinceStart = t - T0;
            if (sinceStart > 5 * HOUR && sinceStart < 5 * HOUR + 20 * MIN) {
                continue; // a gap longer than the lookback
            }
            if (sinceStart > 9 * HOUR && sinceStart <= 9 * HOUR + interval) {
                ts.add(t);
                vs.add(STALE_NAN); // the target went away…
                t += 30 * MIN; // …and came back later
                continue;
            }
            if (counter) {
                value = random.nextInt(100) == 0 ? random.nextInt(10) : value + random.nextInt(50);
            } else {
                value = 20 + random.nextDouble() * 60;
            }
            ts.add(t);
            vs.add(value);
        }
        return new SeriesPoints(labels, ts.stream().mapToLong(Long::longValue).toArray(),
                vs.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
