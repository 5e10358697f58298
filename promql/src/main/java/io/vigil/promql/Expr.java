package io.vigil.promql;

/**
 * A parsed PromQL expression. Each node records where it starts in the query ({@code pos}, a char
 * index) so that type errors found after parsing still point at the right place.
 */
public sealed interface Expr permits NumberLiteral, VectorSelector, MatrixSelector, Call, Aggregation, BinaryExpr,
        UnaryExpr, ParenExpr {

    ValueType type();

    int pos();
}
