package io.vigil.promql;

import java.util.List;

/**
 * {@code lhs op rhs}.
 *
 * @param matchingLabels the labels of {@code on(…)} or {@code ignoring(…)}
 * @param on             true for {@code on}, false for {@code ignoring} or no clause (match on all labels but the name)
 * @param returnBool     the {@code bool} modifier of a comparison
 */
public record BinaryExpr(BinaryOp op, Expr lhs, Expr rhs, List<String> matchingLabels, boolean on, boolean returnBool, int pos)
        implements Expr {

    public BinaryExpr {
        matchingLabels = List.copyOf(matchingLabels);
    }

    @Override
    public ValueType type() {
        return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR ? ValueType.SCALAR : ValueType.VECTOR;
    }
}
