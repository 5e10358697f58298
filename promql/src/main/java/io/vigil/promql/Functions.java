package io.vigil.promql;

import io.vigil.model.SeriesBuckets;
import io.vigil.model.SeriesPoints;
import io.vigil.model.LabelMatcher;
import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import io.vigil.promql.Value.Scalar;
import io.vigil.promql.Value.Vector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;

/** The function table's implementations, ported from Prometheus 2.42's {@code promql/functions.go}. */
final class Functions {

    private Functions() {
    }

    /** The range functions that {@link WindowSummary} answers exactly, hence from rollups. */
    static boolean answersFromRollups(PromFunction f) {
        return switch (f) {
            case RATE, INCREASE, DELTA, AVG_OVER_TIME, MIN_OVER_TIME, MAX_OVER_TIME, SUM_OVER_TIME, COUNT_OVER_TIME,
                 LAST_OVER_TIME -> true;
            default -> false;
        };
    }

    /** The bucket parts {@link #fromRollups} needs for {@code f}, besides the count and last point every window uses. */
    static Set<SeriesBuckets.Field> rollupFields(PromFunction f) {
        return switch (f) {
            case RATE, INCREASE, DELTA -> EnumSet.of(SeriesBuckets.Field.FIRST, SeriesBuckets.Field.RESETS);
            case AVG_OVER_TIME, SUM_OVER_TIME -> EnumSet.of(SeriesBuckets.Field.SUM);
            case MIN_OVER_TIME -> EnumSet.of(SeriesBuckets.Field.MIN);
            case MAX_OVER_TIME -> EnumSet.of(SeriesBuckets.Field.MAX);
            default -> EnumSet.noneOf(SeriesBuckets.Field.class);
        };
    }

    static Value call(Call c, Evaluator ev, long t) {
        List<Expr> args = c.args();
        if (answersFromRollups(c.function()) && ev.fromRollups(((MatrixSelector) args.getLast()).selector())) {
            return fromRollups(c, ev, t);
        }
        return switch (c.function()) {
            case RATE -> overRange(c, ev, t, (m, p) -> extrapolatedRate(m, p, t, true, true));
            case INCREASE -> overRange(c, ev, t, (m, p) -> extrapolatedRate(m, p, t, true, false));
            case DELTA -> overRange(c, ev, t, (m, p) -> extrapolatedRate(m, p, t, false, false));
            case IRATE -> overRange(c, ev, t, (m, p) -> instantValue(p, true));
            case IDELTA -> overRange(c, ev, t, (m, p) -> instantValue(p, false));
            case AVG_OVER_TIME -> overRange(c, ev, t, (m, p) -> avg(p.values()));
            case MIN_OVER_TIME -> overRange(c, ev, t, (m, p) -> min(p.values()));
            case MAX_OVER_TIME -> overRange(c, ev, t, (m, p) -> max(p.values()));
            case SUM_OVER_TIME -> overRange(c, ev, t, (m, p) -> sum(p.values()));
            case COUNT_OVER_TIME -> overRange(c, ev, t, (m, p) -> (double) p.size());
            case LAST_OVER_TIME -> overRange(c, ev, t, (m, p) -> p.values()[p.size() - 1]);
            case QUANTILE_OVER_TIME -> {
                double q = ev.scalar(args.get(0), t);
                yield overRange(c, ev, t, (m, p) -> quantile(q, p.values().clone()));
            }
            case ABS -> simple(ev.vector(args.get(0), t), Math::abs);
            case CEIL -> simple(ev.vector(args.get(0), t), Math::ceil);
            case FLOOR -> simple(ev.vector(args.get(0), t), Math::floor);
            case SQRT -> simple(ev.vector(args.get(0), t), Math::sqrt);
            case EXP -> simple(ev.vector(args.get(0), t), Math::exp);
            case LN -> simple(ev.vector(args.get(0), t), Math::log);
            case LOG2 -> simple(ev.vector(args.get(0), t), Functions::log2);
            case LOG10 -> simple(ev.vector(args.get(0), t), Math::log10);
            case CLAMP -> {
                double min = ev.scalar(args.get(1), t);
                double max = ev.scalar(args.get(2), t);
                // Prometheus returns nothing rather than guess which bound wins.
                yield max < min ? new Vector(List.of()) : simple(ev.vector(args.get(0), t), v -> Math.max(min, Math.min(max, v)));
            }
            case CLAMP_MIN -> {
                double min = ev.scalar(args.get(1), t);
                yield simple(ev.vector(args.get(0), t), v -> Math.max(min, v));
            }
            case CLAMP_MAX -> {
                double max = ev.scalar(args.get(1), t);
                yield simple(ev.vector(args.get(0), t), v -> Math.min(max, v));
            }
            case TIME -> new Scalar(t / 1000.0);
            case VECTOR_FN -> new Vector(List.of(new InstantSample(Labels.EMPTY, t, ev.scalar(args.get(0), t))));
            case SCALAR_FN -> {
                List<InstantSample> v = ev.vector(args.get(0), t);
                yield new Scalar(v.size() == 1 ? v.get(0).value() : Double.NaN);
            }
            case ABSENT -> ev.vector(args.get(0), t).isEmpty()
                    ? new Vector(List.of(new InstantSample(absentLabels(args.get(0)), t, 1)))
                    : new Vector(List.of());
        };
    }

    @FunctionalInterface
    private interface RangeFunction {
        /** The value for one series' points (never empty), or null for no output for this series. */
        Double apply(MatrixSelector m, SeriesPoints points);
    }

    /** A range-vector function over each series; all but last_over_time drop the metric name. */
    private static Value overRange(Call c, Evaluator ev, long t, RangeFunction f) {
        var m = (MatrixSelector) c.args().get(c.args().size() - 1);
        boolean keepName = c.function() == PromFunction.LAST_OVER_TIME; // it acts like an offset, so the series stays itself
        var out = new ArrayList<InstantSample>();
        for (SeriesPoints p : ev.slice(m, t)) {
            Double v = f.apply(m, p);
            if (v != null) {
                out.add(new InstantSample(keepName ? p.labels() : LabelSets.dropName(p.labels()), t, v));
            }
        }
        return new Vector(Evaluator.requireUniqueLabels(out));
    }

    private static Value fromRollups(Call c, Evaluator ev, long t) {
        var m = (MatrixSelector) c.args().getLast();
        boolean keepName = c.function() == PromFunction.LAST_OVER_TIME;
        var out = new ArrayList<InstantSample>();
        for (Evaluator.Window w : ev.windows(m, t)) {
            WindowSummary s = w.summary();
            Double v = switch (c.function()) {
                case RATE -> extrapolatedRate(m, t, true, true, s.count(), s.firstTime(), s.first(), s.lastTime(),
                        s.last() - s.first() + s.resets());
                case INCREASE -> extrapolatedRate(m, t, true, false, s.count(), s.firstTime(), s.first(), s.lastTime(),
                        s.last() - s.first() + s.resets());
                case DELTA -> extrapolatedRate(m, t, false, false, s.count(), s.firstTime(), s.first(), s.lastTime(),
                        s.last() - s.first());
                case AVG_OVER_TIME -> s.sum() / s.count();
                case MIN_OVER_TIME -> s.min();
                case MAX_OVER_TIME -> s.max();
                case SUM_OVER_TIME -> s.sum();
                case COUNT_OVER_TIME -> (double) s.count();
                case LAST_OVER_TIME -> s.last();
                default -> throw new IllegalStateException(c.function() + " is not answered from rollups");
            };
            if (v != null) {
                out.add(new InstantSample(keepName ? w.labels() : LabelSets.dropName(w.labels()), t, v));
            }
        }
        return new Vector(Evaluator.requireUniqueLabels(out));
    }

    /**
     * functions.go's {@code extrapolatedRate} (2.42): the increase between the first and last point,
     * counter resets added back, extrapolated towards the range's ends when the points reach close
     * enough to them (within 1.1 average intervals), but never below a counter's zero.
     */
    static Double extrapolatedRate(MatrixSelector m, SeriesPoints p, long t, boolean isCounter, boolean isRate) {
        long[] ts = p.timestampsMillis();
        double[] vs = p.values();
        int n = vs.length;
        if (n < 2) {
            return null; // no sense in a rate without two points
        }
        double resultValue = vs[n - 1] - vs[0];
        if (isCounter) {
            double prev = vs[0];
            for (int i = 1; i < n; i++) {
                if (vs[i] < prev) {
                    resultValue += prev;
                }
                prev = vs[i];
            }
        }
        return extrapolatedRate(m, t, isCounter, isRate, n, ts[0], vs[0], ts[n - 1], resultValue);
    }

    /** The extrapolation of {@code extrapolatedRate}, from what it needs of the points: shared by raw points and rollups. */
    static Double extrapolatedRate(MatrixSelector m, long t, boolean isCounter, boolean isRate, int n, long firstTime,
                                   double first, long lastTime, double resultValue) {
        if (n < 2) {
            return null;
        }
        long rangeStart = t - (m.rangeMillis() + m.selector().offsetMillis());
        long rangeEnd = t - m.selector().offsetMillis();

        double durationToStart = (firstTime - rangeStart) / 1000.0;
        double durationToEnd = (rangeEnd - lastTime) / 1000.0;
        double sampledInterval = (lastTime - firstTime) / 1000.0;
        double averageDurationBetweenSamples = sampledInterval / (n - 1);

        if (isCounter && resultValue > 0 && first >= 0) {
            // A counter cannot go below zero: do not extrapolate further back than where it would reach it.
            double durationToZero = sampledInterval * (first / resultValue);
            if (durationToZero < durationToStart) {
                durationToStart = durationToZero;
            }
        }

        double extrapolationThreshold = averageDurationBetweenSamples * 1.1;
        double extrapolateToInterval = sampledInterval;
        if (durationToStart < extrapolationThreshold) {
            extrapolateToInterval += durationToStart;
        } else {
            extrapolateToInterval += averageDurationBetweenSamples / 2;
        }
        if (durationToEnd < extrapolationThreshold) {
            extrapolateToInterval += durationToEnd;
        } else {
            extrapolateToInterval += averageDurationBetweenSamples / 2;
        }
        double factor = extrapolateToInterval / sampledInterval;
        if (isRate) {
            factor /= m.rangeMillis() / 1000.0;
        }
        return resultValue * factor;
    }

    /** functions.go's {@code instantValue}: irate and idelta from the last two points. */
    private static Double instantValue(SeriesPoints p, boolean isRate) {
        int n = p.size();
        if (n < 2) {
            return null;
        }
        double last = p.values()[n - 1];
        double previous = p.values()[n - 2];
        double result = isRate && last < previous ? last : last - previous; // a counter reset: count from zero
        long sampledInterval = p.timestampsMillis()[n - 1] - p.timestampsMillis()[n - 2];
        if (sampledInterval == 0) {
            return null;
        }
        return isRate ? result / (sampledInterval / 1000.0) : result;
    }

    /** An incremental mean, as Prometheus computes it to avoid overflowing on large values. */
    static double avg(double[] values) {
        double mean = 0;
        double count = 0;
        for (double v : values) {
            count++;
            if (Double.isInfinite(mean)) {
                if (Double.isInfinite(v) && (mean > 0) == (v > 0)) {
                    continue;
                }
                if (!Double.isInfinite(v) && !Double.isNaN(v)) {
                    continue;
                }
            }
            mean += v / count - mean / count;
        }
        return mean;
    }

    private static double sum(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum;
    }

    /** Go's comparisons: NaN is replaced by any later value but wins when it is the only one. */
    private static double min(double[] values) {
        double min = values[0];
        for (double v : values) {
            if (v < min || Double.isNaN(min)) {
                min = v;
            }
        }
        return min;
    }

    private static double max(double[] values) {
        double max = values[0];
        for (double v : values) {
            if (v > max || Double.isNaN(max)) {
                max = v;
            }
        }
        return max;
    }

    /** functions.go's {@code quantile}: linear interpolation between the closest ranks; sorts {@code values}. */
    static double quantile(double q, double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        Arrays.sort(values);
        double n = values.length;
        double rank = q * (n - 1);
        double lowerIndex = Math.max(0, Math.floor(rank));
        double upperIndex = Math.min(n - 1, lowerIndex + 1);
        double weight = rank - Math.floor(rank);
        return values[(int) lowerIndex] * (1 - weight) + values[(int) upperIndex] * weight;
    }

    /** Go's {@code math.Log2}: exact for powers of two, which {@code log(x)/log(2)} is not. */
    private static double log2(double x) {
        if (x > 0 && Double.isFinite(x) && (Double.doubleToRawLongBits(x) & 0x000fffffffffffffL) == 0 && x >= Double.MIN_NORMAL) {
            return Math.getExponent(x);
        }
        return Math.log(x) / Math.log(2);
    }

    /** Element-wise math: the metric name is dropped, as the value no longer measures the metric. */
    private static Value simple(List<InstantSample> in, DoubleUnaryOperator f) {
        var out = new ArrayList<InstantSample>(in.size());
        for (InstantSample s : in) {
            out.add(new InstantSample(LabelSets.dropName(s.labels()), s.timestampMillis(), f.applyAsDouble(s.value())));
        }
        return new Vector(Evaluator.requireUniqueLabels(out));
    }

    /**
     * functions.go's {@code createLabelsForAbsentFunction}: the labels an equality matcher pins down
     * (once only), so {@code absent(up{job="x"})} answers {@code {job="x"}}; nothing for other expressions.
     */
    private static Labels absentLabels(Expr arg) {
        List<LabelMatcher> matchers;
        if (arg instanceof VectorSelector s) {
            matchers = s.matchers();
        } else if (arg instanceof MatrixSelector m) {
            matchers = m.selector().matchers();
        } else {
            return Labels.EMPTY;
        }
        var labels = new TreeMap<String, String>();
        var ambiguous = new LinkedHashSet<String>();
        for (LabelMatcher m : matchers) {
            if (m.name().equals(LabelNames.METRIC_NAME)) {
                continue;
            }
            if (m.op() == LabelMatcher.Op.EQ && !labels.containsKey(m.name())) {
                labels.put(m.name(), m.value());
            } else {
                ambiguous.add(m.name());
            }
        }
        labels.keySet().removeAll(ambiguous);
        return Labels.of(labels);
    }
}
