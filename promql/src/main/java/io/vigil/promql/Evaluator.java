package io.vigil.promql;

import io.vigil.model.SeriesBuckets;
import io.vigil.model.SeriesPoints;
import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.promql.Value.Matrix;
import io.vigil.promql.Value.Scalar;
import io.vigil.promql.Value.Vector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Evaluates an expression at one time over series already read from the store: the engine reads
 * each selector once for the whole query and this slices what every step needs, in memory.
 * Semantics follow Prometheus 2.42's {@code promql/engine.go}.
 */
final class Evaluator {

    private final Map<VectorSelector, List<SeriesPoints>> data;
    private final Map<VectorSelector, List<SeriesBuckets>> buckets;
    private final long lookbackMillis;

    /**
     * @param data    each selector node's series, read over at least the window {@link QueryEngine} computes for it
     * @param buckets the selectors the engine chose to answer from rollups, with their buckets instead
     */
    Evaluator(Map<VectorSelector, List<SeriesPoints>> data, Map<VectorSelector, List<SeriesBuckets>> buckets,
              long lookbackMillis) {
        this.data = data;
        this.buckets = buckets;
        this.lookbackMillis = lookbackMillis;
    }

    Evaluator(Map<VectorSelector, List<SeriesPoints>> data, long lookbackMillis) {
        this(data, Map.of(), lookbackMillis);
    }

    boolean fromRollups(VectorSelector s) {
        return buckets.containsKey(s);
    }

    /** A series' summary of the window {@code [t - offset - range, t - offset]}, for a selector read from rollups. */
    record Window(Labels labels, WindowSummary summary) {
    }

    List<Window> windows(MatrixSelector m, long t) {
        long ref = t - m.selector().offsetMillis();
        var out = new ArrayList<Window>();
        for (SeriesBuckets b : buckets.get(m.selector())) {
            WindowSummary w = WindowSummary.of(b, ref - m.rangeMillis(), ref);
            if (w != null) {
                out.add(new Window(b.labels(), w));
            }
        }
        return out;
    }

    Value eval(Expr expr, long t) {
        return switch (expr) {
            case NumberLiteral n -> new Scalar(n.value());
            case ParenExpr p -> eval(p.expr(), t);
            case VectorSelector s -> new Vector(select(s, t));
            case MatrixSelector m -> new Matrix(slice(m, t));
            case UnaryExpr u -> negate(u, eval(u.expr(), t));
            case Call c -> Functions.call(c, this, t);
            case Aggregation a -> Aggregations.aggregate(a, this, t);
            case BinaryExpr b -> BinaryOperations.evaluate(b, eval(b.lhs(), t), eval(b.rhs(), t), t);
        };
    }

    double scalar(Expr expr, long t) {
        return ((Scalar) eval(expr, t)).value();
    }

    List<InstantSample> vector(Expr expr, long t) {
        return ((Vector) eval(expr, t)).samples();
    }

    /**
     * engine.go's {@code vectorSelectorSingle}: the newest point at or before {@code t - offset}, if it
     * is no older than the lookback (the window is closed at both ends in 2.42) and is not a staleness marker.
     */
    private List<InstantSample> select(VectorSelector s, long t) {
        long ref = t - s.offsetMillis();
        var out = new ArrayList<InstantSample>();
        if (buckets.containsKey(s)) {
            for (SeriesBuckets b : buckets.get(s)) {
                selectNewest(b, t, ref, out);
            }
            return out;
        }
        for (SeriesPoints series : data.get(s)) {
            long[] ts = series.timestampsMillis();
            int i = lastAtOrBefore(ts, ref);
            if (i >= 0 && ts[i] >= ref - lookbackMillis && !Sample.isStaleMarker(series.values()[i])) {
                out.add(new InstantSample(series.labels(), t, series.values()[i]));
            }
        }
        return out;
    }

    /**
     * The same from rollups at an aligned {@code ref}: the newest point at or before it is in the
     * newest bucket ending at or before it that has any point, marker or not.
     */
    private void selectNewest(SeriesBuckets b, long t, long ref, List<InstantSample> out) {
        for (int i = b.lastAtOrBefore(ref); i >= 0; i--) {
            boolean hasValue = b.counts()[i] > 0;
            long stale = b.staleTimes()[i];
            if (!hasValue && stale == SeriesBuckets.NONE) {
                continue;
            }
            if (hasValue && (stale == SeriesBuckets.NONE || stale < b.lastTimes()[i]) && b.lastTimes()[i] >= ref - lookbackMillis) {
                out.add(new InstantSample(b.labels(), t, b.lasts()[i]));
            }
            return;
        }
    }

    /** engine.go's {@code matrixIterSlice} in 2.42: points in {@code [ref - range, ref]}, staleness markers dropped. */
    List<SeriesPoints> slice(MatrixSelector m, long t) {
        long ref = t - m.selector().offsetMillis();
        long from = ref - m.rangeMillis();
        var out = new ArrayList<SeriesPoints>();
        for (SeriesPoints series : data.get(m.selector())) {
            long[] ts = series.timestampsMillis();
            double[] vs = series.values();
            int hi = lastAtOrBefore(ts, ref);
            int lo = lastAtOrBefore(ts, from - 1) + 1;
            if (lo > hi) {
                continue;
            }
            long[] outT = new long[hi - lo + 1];
            double[] outV = new double[hi - lo + 1];
            int n = 0;
            for (int i = lo; i <= hi; i++) {
                if (!Sample.isStaleMarker(vs[i])) {
                    outT[n] = ts[i];
                    outV[n] = vs[i];
                    n++;
                }
            }
            if (n > 0) {
                out.add(new SeriesPoints(series.labels(), Arrays.copyOf(outT, n), Arrays.copyOf(outV, n)));
            }
        }
        return out;
    }

    /** Unary minus negates and, on a vector, drops the metric name, as Prometheus does. */
    private static Value negate(UnaryExpr u, Value v) {
        if (!u.negate()) {
            return v;
        }
        if (v instanceof Scalar s) {
            return new Scalar(-s.value());
        }
        var out = new ArrayList<InstantSample>();
        for (InstantSample s : ((Vector) v).samples()) {
            out.add(new InstantSample(LabelSets.dropName(s.labels()), s.timestampMillis(), -s.value()));
        }
        return new Vector(requireUniqueLabels(out));
    }

    /**
     * Dropping the metric name can make two series equal ({@code rate({__name__=~"a|b"}[5m])});
     * Prometheus refuses such a result rather than merging or picking one.
     */
    static List<InstantSample> requireUniqueLabels(List<InstantSample> samples) {
        if (samples.size() > 1) {
            var seen = new HashSet<Labels>();
            for (InstantSample s : samples) {
                if (!seen.add(s.labels())) {
                    throw new QueryExecutionException("vector cannot contain metrics with the same labelset");
                }
            }
        }
        return samples;
    }

    /** Index of the last point at or before {@code t}, or -1. */
    static int lastAtOrBefore(long[] ts, long t) {
        int i = Arrays.binarySearch(ts, t);
        return i >= 0 ? i : -i - 2;
    }
}
