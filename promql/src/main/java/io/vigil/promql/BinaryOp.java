package io.vigil.promql;

/**
 * The binary operators Vigil evaluates, with Prometheus' precedence (higher binds tighter) and
 * associativity: {@code ^} is right-associative, the others left.
 */
public enum BinaryOp {
    EQL("==", 2, true), NEQ("!=", 2, true), GTR(">", 2, true), LSS("<", 2, true), GTE(">=", 2, true), LTE("<=", 2, true),
    ADD("+", 3, false), SUB("-", 3, false),
    MUL("*", 4, false), DIV("/", 4, false), MOD("%", 4, false),
    POW("^", 5, false);

    /** Precedence of {@code or}, {@code and}/{@code unless} and {@code atan2}, which are recognised only to be refused. */
    static final int OR_PRECEDENCE = 0;
    static final int AND_PRECEDENCE = 1;
    static final int ATAN2_PRECEDENCE = 4;

    private final String symbol;
    private final int precedence;
    private final boolean comparison;

    BinaryOp(String symbol, int precedence, boolean comparison) {
        this.symbol = symbol;
        this.precedence = precedence;
        this.comparison = comparison;
    }

    public String symbol() {
        return symbol;
    }

    int precedence() {
        return precedence;
    }

    public boolean isComparison() {
        return comparison;
    }

    boolean rightAssociative() {
        return this == POW;
    }

    static BinaryOp bySymbol(String symbol) {
        for (BinaryOp op : values()) {
            if (op.symbol.equals(symbol)) {
                return op;
            }
        }
        return null;
    }

    /**
     * Go's float arithmetic as Prometheus applies it ({@code vectorElemBinop}): the result and, for
     * comparisons, whether it holds. Comparisons return the left value.
     */
    double apply(double l, double r) {
        return switch (this) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            case DIV -> l / r;
            case MOD -> l % r; // Java's % on doubles is C's fmod, as Go's math.Mod
            case POW -> goPow(l, r);
            default -> l;
        };
    }

    public boolean holds(double l, double r) {
        return switch (this) {
            case EQL -> l == r;
            case NEQ -> l != r;
            case GTR -> l > r;
            case LSS -> l < r;
            case GTE -> l >= r;
            case LTE -> l <= r;
            default -> true;
        };
    }

    /** Go's {@code math.Pow} differs from Java's where the base is ±1: {@code 1^NaN = 1}, {@code (-1)^±Inf = 1}. */
    private static double goPow(double x, double y) {
        if (x == 1) {
            return 1;
        }
        if (x == -1 && Double.isInfinite(y)) {
            return 1;
        }
        return Math.pow(x, y);
    }
}
