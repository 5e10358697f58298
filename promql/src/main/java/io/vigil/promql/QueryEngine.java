package io.vigil.promql;

import io.vigil.model.SeriesBuckets;
import io.vigil.model.SeriesPoints;
import io.vigil.model.SeriesReader;
import io.vigil.model.Labels;
import io.vigil.promql.QueryResult.MatrixResult;
import io.vigil.promql.QueryResult.ScalarResult;
import io.vigil.promql.QueryResult.VectorResult;
import io.vigil.promql.Value.Matrix;
import io.vigil.promql.Value.Scalar;
import io.vigil.promql.Value.Vector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates PromQL expressions over the store with Prometheus' rules: at time t a selector gives
 * each series' newest point in {@code [t - lookback, t]}, unless that point is a staleness marker.
 * Each selector is read from the store once per query, over the union of what every step needs;
 * steps are then evaluated in memory.
 */
public class QueryEngine {

    public static final long DEFAULT_LOOKBACK_MILLIS = 5 * 60_000L;
    /** Prometheus' cap: {@code (end - start) / step} may not exceed it (so at most 11,001 points). */
    public static final long MAX_STEPS = 11_000;
    public static final String TOO_MANY_POINTS =
            "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)";

    private final SeriesReader reader;
    private final long lookbackMillis;

    public QueryEngine(SeriesReader reader) {
        this(reader, DEFAULT_LOOKBACK_MILLIS);
    }

    public QueryEngine(SeriesReader reader, long lookbackMillis) {
        if (lookbackMillis <= 0) {
            throw new IllegalArgumentException("lookback must be positive, got " + lookbackMillis);
        }
        this.reader = reader;
        this.lookbackMillis = lookbackMillis;
    }

    /**
     * An instant-vector expression's samples at {@code timeMillis}, in no particular order (the rule
     * engine keys them by labels; sorting 100,000 of them per rule would cost more than the rule).
     *
     * @throws IllegalArgumentException when the expression is not an instant vector
     */
    public List<InstantSample> vectorAt(Expr expr, long timeMillis) {
        if (!(new Evaluator(read(expr, timeMillis, timeMillis), lookbackMillis).eval(expr, timeMillis) instanceof Vector v)) {
            throw new IllegalArgumentException("not an instant vector: " + expr.type().promName());
        }
        return v.samples();
    }

    /** A scalar expression's value at {@code timeMillis}. */
    public double scalarAt(Expr expr, long timeMillis) {
        if (!(new Evaluator(read(expr, timeMillis, timeMillis), lookbackMillis).eval(expr, timeMillis) instanceof Scalar s)) {
            throw new IllegalArgumentException("not a scalar: " + expr.type().promName());
        }
        return s.value();
    }

    /**
     * The expression's value at {@code timeMillis}: a scalar, a vector ordered by labels, or for a
     * range selector at the top level its raw points.
     *
     * @throws QueryExecutionException when the data makes the expression ambiguous (Prometheus' execution errors)
     */
    public QueryResult instant(Expr expr, long timeMillis) {
        Value v = new Evaluator(read(expr, timeMillis, timeMillis), lookbackMillis).eval(expr, timeMillis);
        return switch (v) {
            case Scalar s -> new ScalarResult(timeMillis, s.value());
            case Vector vec -> {
                var samples = new ArrayList<>(vec.samples());
                samples.sort(Comparator.comparing(InstantSample::labels, LabelsOrder.INSTANCE));
                yield new VectorResult(samples);
            }
            case Matrix m -> {
                var series = new ArrayList<RangeSeries>();
                for (SeriesPoints p : m.series()) {
                    series.add(new RangeSeries(p.labels(), p.timestampsMillis(), p.values()));
                }
                series.sort(Comparator.comparing(RangeSeries::labels, LabelsOrder.INSTANCE));
                yield new MatrixResult(series);
            }
        };
    }

    /**
     * The expression at each step time {@code start + k*step <= end}, one series per label set,
     * ordered by labels; a scalar expression gives one series without labels.
     *
     * @throws BadQueryException when more than {@link #MAX_STEPS} steps are asked for, or the
     *                           expression is not a scalar or instant vector
     */
    public List<RangeSeries> range(Expr expr, long startMillis, long endMillis, long stepMillis) {
        if (stepMillis <= 0) {
            throw new BadQueryException("zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if (endMillis < startMillis) {
            throw new BadQueryException("end timestamp must not be before start time");
        }
        if ((endMillis - startMillis) / stepMillis > MAX_STEPS) {
            throw new BadQueryException(TOO_MANY_POINTS);
        }
        requireRangeType(expr);
        int steps = (int) ((endMillis - startMillis) / stepMillis) + 1;
        var plan = new Reads(startMillis, endMillis, stepMillis);
        collect(expr, plan);
        var evaluator = new Evaluator(plan.points, plan.buckets, lookbackMillis);
        var builders = new LinkedHashMap<Labels, SeriesBuilder>();
        for (int k = 0; k < steps; k++) {
            long t = startMillis + k * stepMillis;
            switch (evaluator.eval(expr, t)) {
                case Scalar s -> builders.computeIfAbsent(Labels.EMPTY, l -> new SeriesBuilder(steps)).add(t, s.value());
                case Vector v -> {
                    for (InstantSample s : v.samples()) {
                        builders.computeIfAbsent(s.labels(), l -> new SeriesBuilder(steps)).add(t, s.value());
                    }
                }
                case Matrix m -> throw new IllegalStateException("range vector at the top of a range query");
            }
        }
        var result = new ArrayList<RangeSeries>(builders.size());
        builders.forEach((labels, b) -> result.add(b.build(labels)));
        result.sort(Comparator.comparing(RangeSeries::labels, LabelsOrder.INSTANCE));
        return result;
    }

    /** Prometheus' check in {@code NewRangeQuery}, with its message. */
    public static void requireRangeType(Expr expr) {
        if (expr.type() != ValueType.SCALAR && expr.type() != ValueType.VECTOR) {
            throw new BadQueryException("invalid expression type " + GoText.quote(expr.type().promName())
                    + " for range query, must be Scalar or instant Vector");
        }
    }

    /**
     * Reads every selector of the expression once: an instant selector over {@code [start - lookback, end]},
     * a range selector over {@code [start - range, end]}, both shifted back by their offset.
     */
    private Map<VectorSelector, List<SeriesPoints>> read(Expr expr, long startMillis, long endMillis) {
        var plan = new Reads(startMillis, endMillis, 0);
        collect(expr, plan);
        return plan.points;
    }

    /**
     * What one evaluation reads: each selector's raw points, or its rollup buckets when the steps
     * allow an exact answer from them. {@code step} 0 means a single evaluation time.
     */
    private static final class Reads {
        final long start;
        final long end;
        final long step;
        final Map<VectorSelector, List<SeriesPoints>> points = new IdentityHashMap<>();
        final Map<VectorSelector, List<SeriesBuckets>> buckets = new IdentityHashMap<>();

        Reads(long start, long end, long step) {
            this.start = start;
            this.end = end;
            this.step = step;
        }

        /**
         * The widest rollup whose buckets line up with every evaluation time, the selector's offset
         * and its range (0 for an instant selector), or 0 for none. A rollup's buckets end on
         * multiples of its width, so that is what makes its answers exact (see {@link SeriesBuckets}).
         */
        long rollupWidth(VectorSelector s, long rangeMillis) {
            if (step == 0) {
                return 0; // one evaluation: raw points, of which the reader may skip all but the newest
            }
            for (long w : SeriesReader.ROLLUP_WIDTHS_MILLIS) {
                if (step % w == 0 && Math.floorMod(start, w) == 0 && Math.floorMod(s.offsetMillis(), w) == 0
                        && rangeMillis % w == 0) {
                    return w;
                }
            }
            return 0;
        }
    }

    private void collect(Expr expr, Reads plan) {
        switch (expr) {
            case NumberLiteral n -> {
            }
            case VectorSelector s -> {
                long from = plan.start - s.offsetMillis() - lookbackMillis;
                long to = plan.end - s.offsetMillis();
                long width = plan.rollupWidth(s, 0);
                // A point no older than the lookback lies in a bucket ending no earlier than the lookback's start.
                if (width == 0 || !readBuckets(plan, s, width, SeriesBuckets.bucketEnd(from, width), to,
                        EnumSet.of(SeriesBuckets.Field.STALE))) {
                    // One evaluation time: only each series' newest point counts.
                    plan.points.put(s, plan.step == 0 ? reader.readLatest(s.matchers(), from, to) : reader.read(s.matchers(), from, to));
                }
            }
            case MatrixSelector m -> readRaw(m, plan);
            case ParenExpr p -> collect(p.expr(), plan);
            case UnaryExpr u -> collect(u.expr(), plan);
            case Call c -> {
                if (Functions.answersFromRollups(c.function()) && c.args().getLast() instanceof MatrixSelector m) {
                    VectorSelector s = m.selector();
                    long width = plan.rollupWidth(s, m.rangeMillis());
                    long first = plan.start - s.offsetMillis() - m.rangeMillis();
                    if (width == 0 || !readBuckets(plan, s, width, first, plan.end - s.offsetMillis(),
                            Functions.rollupFields(c.function()))) {
                        readRaw(m, plan);
                    }
                    c.args().subList(0, c.args().size() - 1).forEach(a -> collect(a, plan));
                } else {
                    c.args().forEach(a -> collect(a, plan));
                }
            }
            case Aggregation a -> {
                if (a.param() != null) {
                    collect(a.param(), plan);
                }
                collect(a.expr(), plan);
            }
            case BinaryExpr b -> {
                collect(b.lhs(), plan);
                collect(b.rhs(), plan);
            }
        }
    }

    private void readRaw(MatrixSelector m, Reads plan) {
        VectorSelector s = m.selector();
        plan.points.put(s, reader.read(s.matchers(), plan.start - s.offsetMillis() - m.rangeMillis(), plan.end - s.offsetMillis()));
    }

    /**
     * Reads the selector's buckets; false when the reader keeps no such rollup or a bucket holds a
     * NaN reading (whose arithmetic depends on the order of the raw points), so raw points are needed.
     */
    private boolean readBuckets(Reads plan, VectorSelector s, long width, long firstEnd, long lastEnd,
                                Set<SeriesBuckets.Field> fields) {
        var read = reader.readBuckets(s.matchers(), width, firstEnd, lastEnd, fields);
        if (read.isEmpty() || read.get().stream().anyMatch(SeriesBuckets::hasNaN)) {
            return false;
        }
        plan.buckets.put(s, read.get());
        return true;
    }

    /** Step values of one output series; at most one per step, in step order. */
    private static final class SeriesBuilder {
        private long[] times;
        private double[] values;
        private int size;

        // Grown on demand: a series selected by topk at a few steps should not cost 11,000 slots.
        SeriesBuilder(int steps) {
            times = new long[Math.min(steps, 64)];
            values = new double[times.length];
        }

        void add(long t, double v) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            times[size] = t;
            values[size] = v;
            size++;
        }

        RangeSeries build(Labels labels) {
            return new RangeSeries(labels, Arrays.copyOf(times, size), Arrays.copyOf(values, size));
        }
    }
}
