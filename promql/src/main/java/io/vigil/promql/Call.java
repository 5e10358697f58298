package io.vigil.promql;

import java.util.List;

/** A function call such as {@code rate(m[5m])}; arguments are type-checked by the parser. */
public record Call(PromFunction function, List<Expr> args, int pos) implements Expr {

    public Call {
        args = List.copyOf(args);
    }

    @Override
    public ValueType type() {
        return function.returnType();
    }
}
