package io.vigil.rules;

import io.vigil.model.LabelMatcher;
import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;
import io.vigil.model.SeriesPoints;
import io.vigil.model.SeriesReader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The rule engine's recent past: for each series of a metric some rule reads, its points of the
 * last {@code retention}, in memory. The PromQL engine reads it as it reads the store, so rules
 * and dashboards agree on what an expression means. Not thread-safe: one engine thread owns it.
 */
final class WindowStore implements SeriesReader {

    private final Map<String, Map<Labels, Ring>> byMetric = new HashMap<>();
    /** Series that received points since {@link #clearTouched()}, by metric: what an incremental evaluation looks at. */
    private final Map<String, Set<Ring>> touchedSeries = new HashMap<>();
    private Set<String> metrics = Set.of();
    private long retentionMillis;
    private long points;

    /** Keeps only these metrics from now on, for this long; series of other metrics are dropped. */
    void configure(Set<String> wanted, long retention) {
        this.metrics = Set.copyOf(wanted);
        this.retentionMillis = retention;
        byMetric.keySet().retainAll(metrics);
    }

    /** Adds the batch's points of wanted metrics; returns the metrics it touched. */
    Set<String> append(SampleBatch batch, Set<String> touched) {
        long t = batch.timestampMillis();
        for (Sample s : batch.samples()) {
            if (!metrics.contains(s.metric())) {
                continue;
            }
            var series = byMetric.computeIfAbsent(s.metric(), m -> new HashMap<>());
            Labels key = batch.seriesLabels(s);
            Ring ring = series.get(key);
            if (ring == null) {
                ring = new Ring(key.with(LabelNames.METRIC_NAME, s.metric()));
                series.put(key, ring);
            }
            if (ring.add(t, s.value(), t - retentionMillis)) {
                points++;
                touchedSeries.computeIfAbsent(s.metric(), m -> Collections.newSetFromMap(new IdentityHashMap<>())).add(ring);
            }
            touched.add(s.metric());
        }
        return touched;
    }

    /**
     * For each series of {@code metric} that received points since {@link #clearTouched()} and matches
     * every matcher: its identity (labels without the name) and its newest point in {@code [from, to]},
     * or null when there is none or it is a staleness marker (the series is absent), as an instant
     * selector would see it.
     */
    void forEachTouched(String metric, List<LabelMatcher> matchers, long from, long to, BiConsumer<Labels, Double> action) {
        Set<Ring> rings = touchedSeries.get(metric);
        if (rings == null) {
            return;
        }
        outer:
        for (Ring r : rings) {
            for (LabelMatcher m : matchers) {
                if (!(m.name().equals(LabelNames.METRIC_NAME) && m.op() == LabelMatcher.Op.EQ) && !m.matches(r.labels)) {
                    continue outer;
                }
            }
            SeriesPoints p = r.latest(from, to);
            action.accept(r.labels.withoutMetricName(),
                    p == null || Sample.isStaleMarker(p.values()[0]) ? null : p.values()[0]);
        }
    }

    void clearTouched() {
        touchedSeries.clear();
    }

    /** Drops points older than the retention before {@code now}, and series left with none. */
    void evict(long now) {
        long oldest = now - retentionMillis;
        for (var series : byMetric.values()) {
            series.values().removeIf(r -> {
                points -= r.dropBefore(oldest);
                return r.size == 0;
            });
        }
    }

    int seriesCount() {
        int n = 0;
        for (var series : byMetric.values()) {
            n += series.size();
        }
        return n;
    }

    long pointCount() {
        return points;
    }

    @Override
    public List<SeriesPoints> read(List<LabelMatcher> matchers, long startMillis, long endMillis) {
        var out = new ArrayList<SeriesPoints>();
        for (Ring r : select(matchers)) {
            SeriesPoints p = r.slice(startMillis, endMillis);
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public List<SeriesPoints> readLatest(List<LabelMatcher> matchers, long startMillis, long endMillis) {
        var out = new ArrayList<SeriesPoints>();
        for (Ring r : select(matchers)) {
            SeriesPoints p = r.latest(startMillis, endMillis);
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public List<Labels> series(List<LabelMatcher> matchers, long startMillis, long endMillis) {
        var out = new ArrayList<Labels>();
        for (Ring r : select(matchers)) {
            if (r.slice(startMillis, endMillis) != null) {
                out.add(r.labels);
            }
        }
        return out;
    }

    private List<Ring> select(List<LabelMatcher> matchers) {
        String name = null;
        for (LabelMatcher m : matchers) {
            if (m.name().equals(LabelNames.METRIC_NAME) && m.op() == LabelMatcher.Op.EQ) {
                name = m.value();
            }
        }
        var series = name == null ? null : byMetric.get(name);
        if (series == null) {
            return List.of();
        }
        var out = new ArrayList<Ring>();
        var others = new ArrayList<LabelMatcher>(matchers.size());
        for (LabelMatcher m : matchers) {
            if (!(m.name().equals(LabelNames.METRIC_NAME) && m.op() == LabelMatcher.Op.EQ)) {
                others.add(m); // the metric's own bucket already holds only its series
            }
        }
        outer:
        for (Ring r : series.values()) {
            for (LabelMatcher m : others) {
                if (!m.matches(r.labels)) {
                    continue outer;
                }
            }
            out.add(r);
        }
        return out;
    }

    /** One series' points, oldest first, in arrays that grow by doubling and compact as old points go. */
    private static final class Ring {
        final Labels labels;
        long[] times = new long[8];
        double[] values = new double[8];
        int start;
        int size;

        Ring(Labels labels) {
            this.labels = labels;
        }

        /** False for a point not newer than the last one (a redelivered batch) or already too old. */
        boolean add(long t, double v, long oldest) {
            if (t < oldest || (size > 0 && t <= times[start + size - 1])) {
                return false;
            }
            if (start + size == times.length) {
                if (start > times.length / 2) {
                    System.arraycopy(times, start, times, 0, size);
                    System.arraycopy(values, start, values, 0, size);
                    start = 0;
                } else {
                    times = Arrays.copyOf(times, times.length * 2);
                    values = Arrays.copyOf(values, values.length * 2);
                }
            }
            times[start + size] = t;
            values[start + size] = v;
            size++;
            return true;
        }

        int dropBefore(long oldest) {
            int dropped = 0;
            while (size > 0 && times[start] < oldest) {
                start++;
                size--;
                dropped++;
            }
            if (size == 0) {
                start = 0;
            }
            return dropped;
        }

        /** The newest point in {@code [from, to]} alone. */
        SeriesPoints latest(long from, long to) {
            int i = start + size - 1;
            while (i >= start && times[i] > to) {
                i--;
            }
            if (i < start || times[i] < from) {
                return null;
            }
            return new SeriesPoints(labels, new long[] {times[i]}, new double[] {values[i]});
        }

        SeriesPoints slice(long from, long to) {
            int lo = start;
            int end = start + size;
            while (lo < end && times[lo] < from) {
                lo++;
            }
            int hi = lo;
            while (hi < end && times[hi] <= to) {
                hi++;
            }
            if (hi == lo) {
                return null;
            }
            return new SeriesPoints(labels, Arrays.copyOfRange(times, lo, hi), Arrays.copyOfRange(values, lo, hi));
        }
    }
}
