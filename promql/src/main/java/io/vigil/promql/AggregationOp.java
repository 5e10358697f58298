package io.vigil.promql;

import java.util.Locale;

/** The aggregation operators Vigil evaluates. */
public enum AggregationOp {
    SUM, AVG, MIN, MAX, COUNT, TOPK, BOTTOMK, QUANTILE;

    boolean takesParam() {
        return this == TOPK || this == BOTTOMK || this == QUANTILE;
    }

    /** The operator as written, {@code null} when Vigil does not evaluate it (stddev, count_values…). */
    static AggregationOp byName(String name) {
        for (AggregationOp op : values()) {
            if (op.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return op;
            }
        }
        return null;
    }
}
