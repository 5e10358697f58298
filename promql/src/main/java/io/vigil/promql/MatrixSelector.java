package io.vigil.promql;

/** {@code selector[5m]}: the raw points of each series in {@code [t - offset - range, t - offset]}. */
public record MatrixSelector(VectorSelector selector, long rangeMillis, int pos) implements Expr {

    @Override
    public ValueType type() {
        return ValueType.MATRIX;
    }
}
