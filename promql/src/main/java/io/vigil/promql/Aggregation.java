package io.vigil.promql;

import java.util.List;

/**
 * {@code sum by (job) (expr)}, {@code topk(3, expr)}, …
 *
 * @param param    the scalar parameter of {@code topk}, {@code bottomk} and {@code quantile}, else null
 * @param grouping the labels after {@code by} or {@code without}
 * @param without  true for {@code without}, false for {@code by} or no grouping at all
 */
public record Aggregation(AggregationOp op, Expr param, Expr expr, List<String> grouping, boolean without, int pos)
        implements Expr {

    public Aggregation {
        grouping = List.copyOf(grouping);
    }

    @Override
    public ValueType type() {
        return ValueType.VECTOR;
    }
}
