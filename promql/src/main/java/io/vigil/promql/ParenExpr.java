package io.vigil.promql;

/** {@code (expr)}: kept as a node because {@code absent} treats a parenthesised selector differently. */
public record ParenExpr(Expr expr, int pos) implements Expr {

    @Override
    public ValueType type() {
        return expr.type();
    }
}
