package io.vigil.promql;

/** {@code 1}, {@code 2.5e3}, {@code 0x1f}, {@code Inf}, {@code NaN}: a scalar. */
public record NumberLiteral(double value, int pos) implements Expr {

    @Override
    public ValueType type() {
        return ValueType.SCALAR;
    }
}
