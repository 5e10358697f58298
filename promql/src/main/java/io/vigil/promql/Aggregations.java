package io.vigil.promql;

import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import io.vigil.promql.Value.Vector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Aggregation operators, as Prometheus 2.42's {@code engine.go} {@code aggregation()} computes them. */
final class Aggregations {

    private Aggregations() {
    }

    static Value aggregate(Aggregation a, Evaluator ev, long t) {
        double param = a.param() == null ? Double.NaN : ev.scalar(a.param(), t);
        List<InstantSample> input = ev.vector(a.expr(), t);
        var groups = new LinkedHashMap<Labels, List<InstantSample>>();
        for (InstantSample s : input) {
            groups.computeIfAbsent(groupLabels(a, s.labels()), k -> new ArrayList<>()).add(s);
        }
        var out = new ArrayList<InstantSample>();
        for (Map.Entry<Labels, List<InstantSample>> group : groups.entrySet()) {
            List<InstantSample> members = group.getValue();
            switch (a.op()) {
                case TOPK, BOTTOMK -> out.addAll(top(members, param, a.op() == AggregationOp.TOPK));
                default -> out.add(new InstantSample(group.getKey(), t, reduce(a.op(), members, param)));
            }
        }
        return new Vector(out);
    }

    /** {@code by} keeps only the listed labels; {@code without} removes them and the metric name. */
    private static Labels groupLabels(Aggregation a, Labels labels) {
        if (a.without()) {
            var drop = new ArrayList<>(a.grouping());
            drop.add(LabelNames.METRIC_NAME);
            return LabelSets.without(labels, drop);
        }
        return LabelSets.keep(labels, a.grouping());
    }

    private static double reduce(AggregationOp op, List<InstantSample> members, double param) {
        double[] values = members.stream().mapToDouble(InstantSample::value).toArray();
        return switch (op) {
            case SUM -> {
                double sum = 0;
                for (double v : values) {
                    sum += v;
                }
                yield sum;
            }
            case AVG -> Functions.avg(values);
            case COUNT -> values.length;
            case MIN -> {
                double min = values[0];
                for (double v : values) {
                    if (min > v || Double.isNaN(min)) {
                        min = v;
                    }
                }
                yield min;
            }
            case MAX -> {
                double max = values[0];
                for (double v : values) {
                    if (max < v || Double.isNaN(max)) {
                        max = v;
                    }
                }
                yield max;
            }
            case QUANTILE -> Functions.quantile(param, values);
            case TOPK, BOTTOMK -> throw new IllegalStateException(op + " keeps series, it does not reduce them");
        };
    }

    /**
     * topk/bottomk keep the selected series whole, metric name included. {@code k} is truncated
     * like Go's {@code int64(float)}; NaN values rank last either way, as in Prometheus' heaps.
     */
    private static List<InstantSample> top(List<InstantSample> members, double param, boolean largest) {
        long k = Double.isNaN(param) ? 0 : (long) param;
        if (k < 1) {
            return List.of();
        }
        Comparator<InstantSample> byValue = Comparator.comparingDouble(InstantSample::value);
        Comparator<InstantSample> order = (x, y) -> {
            boolean xn = Double.isNaN(x.value());
            boolean yn = Double.isNaN(y.value());
            if (xn || yn) {
                return Boolean.compare(xn, yn);
            }
            return largest ? byValue.reversed().compare(x, y) : byValue.compare(x, y);
        };
        return members.stream().sorted(order).limit(k).toList();
    }
}
