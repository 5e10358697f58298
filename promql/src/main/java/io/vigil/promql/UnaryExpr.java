package io.vigil.promql;

/** {@code -expr} (or {@code +expr}, which changes nothing). */
public record UnaryExpr(boolean negate, Expr expr, int pos) implements Expr {

    @Override
    public ValueType type() {
        return expr.type();
    }
}
