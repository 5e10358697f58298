package io.vigil.promql;

import io.vigil.model.SeriesBuckets;
import io.vigil.model.SeriesPoints;
import io.vigil.model.SeriesReader;
import io.vigil.model.LabelMatcher;
import io.vigil.model.Labels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** A {@link SeriesReader} over series held in lists, recording each read, for the evaluation rules. */
public final class InMemorySeriesReader implements SeriesReader {

    public record Read(List<LabelMatcher> matchers, long startMillis, long endMillis) {
    }

    private final List<SeriesPoints> series = new ArrayList<>();
    public final List<Read> reads = new ArrayList<>();
    private Supplier<RuntimeException> failure;
    private boolean rollups;
    public final List<Long> bucketReads = new ArrayList<>();

    /** Answers {@link #readBuckets} too, computing the rollups from the points held. */
    public InMemorySeriesReader withRollups() {
        rollups = true;
        return this;
    }

    /** Adds a series from alternating times and values: {@code add(labels, 1000, 1.0, 2000, 2.0)}. */
    public InMemorySeriesReader add(Labels labels, double... timesAndValues) {
        int n = timesAndValues.length / 2;
        long[] ts = new long[n];
        double[] vs = new double[n];
        for (int i = 0; i < n; i++) {
            ts[i] = (long) timesAndValues[2 * i];
            vs[i] = timesAndValues[2 * i + 1];
        }
        series.add(new SeriesPoints(labels, ts, vs));
        return this;
    }

    public InMemorySeriesReader add(SeriesPoints points) {
        series.add(points);
        return this;
    }

    public InMemorySeriesReader failWith(Supplier<RuntimeException> failure) {
        this.failure = failure;
        return this;
    }

    @Override
    public List<Labels> series(List<LabelMatcher> matchers, long startMillis, long endMillis) {
        reads.add(new Read(matchers, startMillis, endMillis));
        if (failure != null) {
            throw failure.get();
        }
        var result = new ArrayList<Labels>();
        for (SeriesPoints s : series) {
            if (matchers.stream().allMatch(m -> m.matches(s.labels()))
                    && Arrays.stream(s.timestampsMillis()).anyMatch(t -> t >= startMillis && t <= endMillis)) {
                result.add(s.labels());
            }
        }
        return result;
    }

    @Override
    public List<SeriesPoints> read(List<LabelMatcher> matchers, long startMillis, long endMillis) {
        reads.add(new Read(matchers, startMillis, endMillis));
        if (failure != null) {
            throw failure.get();
        }
        if (matchers.stream().allMatch(LabelMatcher::matchesEmpty)) {
            throw new IllegalArgumentException("no matcher narrows the selection");
        }
        var result = new ArrayList<SeriesPoints>();
        for (SeriesPoints s : series) {
            if (!matchers.stream().allMatch(m -> m.matches(s.labels()))) {
                continue;
            }
            var ts = new ArrayList<Long>();
            var vs = new ArrayList<Double>();
            for (int i = 0; i < s.size(); i++) {
                long t = s.timestampsMillis()[i];
                if (t >= startMillis && t <= endMillis) {
                    ts.add(t);
                    vs.add(s.values()[i]);
                }
            }
            if (!ts.isEmpty()) {
                result.add(new SeriesPoints(s.labels(), ts.stream().mapToLong(Long::longValue).toArray(),
                        vs.stream().mapToDouble(Double::doubleValue).toArray()));
            }
        }
        return result;
    }

    @Override
    public Optional<List<SeriesBuckets>> readBuckets(List<LabelMatcher> matchers, long widthMillis,
                                                                long firstEndMillis, long lastEndMillis) {
        return readBuckets(matchers, widthMillis, firstEndMillis, lastEndMillis, SeriesBuckets.ALL_FIELDS);
    }

    /**
     * Like a store that sends only what was asked for, the parts not in {@code fields} come back
     * as 0, NaN or NONE: an engine that uses a part it did not ask for gets wrong answers.
     */
    @Override
    public Optional<List<SeriesBuckets>> readBuckets(List<LabelMatcher> matchers, long widthMillis, long firstEndMillis,
                                                     long lastEndMillis, Set<SeriesBuckets.Field> fields) {
        if (!rollups) {
            return Optional.empty();
        }
        bucketReads.add(widthMillis);
        var result = new ArrayList<SeriesBuckets>();
        for (SeriesPoints s : series) {
            if (!matchers.stream().allMatch(m -> m.matches(s.labels()))) {
                continue;
            }
            var all = SeriesBuckets.of(s, widthMillis);
            var kept = new SeriesBuckets.Builder(s.labels(), widthMillis);
            for (int i = 0; i < all.size(); i++) {
                if (all.ends()[i] >= firstEndMillis && all.ends()[i] <= lastEndMillis) {
                    boolean first = fields.contains(SeriesBuckets.Field.FIRST);
                    kept.addBucket(all.ends()[i], all.counts()[i],
                            fields.contains(SeriesBuckets.Field.SUM) ? all.sums()[i] : 0,
                            fields.contains(SeriesBuckets.Field.MIN) ? all.mins()[i] : Double.NaN,
                            fields.contains(SeriesBuckets.Field.MAX) ? all.maxes()[i] : Double.NaN,
                            first ? all.firstTimes()[i] : SeriesBuckets.NONE, first ? all.firsts()[i] : Double.NaN,
                            all.lastTimes()[i], all.lasts()[i],
                            fields.contains(SeriesBuckets.Field.RESETS) ? all.resets()[i] : 0,
                            fields.contains(SeriesBuckets.Field.STALE) ? all.staleTimes()[i] : SeriesBuckets.NONE,
                            all.nanCounts()[i]);
                }
            }
            if (!kept.isEmpty()) {
                result.add(kept.build());
            }
        }
        return Optional.of(result);
    }
}
