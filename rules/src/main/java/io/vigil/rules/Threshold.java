package io.vigil.rules;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A comparison with a constant, as in {@code recover: "< 5"}: what "good again" means for a value. */
public record Threshold(Comparison op, double value) {

    private static final Pattern FORM = Pattern.compile("\\s*(<=|>=|<|>)\\s*([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)\\s*");

    public enum Comparison {
        LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        static Comparison of(String symbol) {
            for (Comparison c : values()) {
                if (c.symbol.equals(symbol)) {
                    return c;
                }
            }
            throw new IllegalArgumentException(symbol);
        }

        boolean below() {
            return this == LT || this == LE;
        }
    }

    /** @throws IllegalArgumentException with the accepted form */
    public static Threshold parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("must be a comparison with a number, such as \"< 5\" or \">= 0.9\", got \""
                    + (text == null ? "" : text) + "\"");
        }
        return new Threshold(Comparison.of(m.group(1)), Double.parseDouble(m.group(2)));
    }

    public boolean holds(double v) {
        return switch (op) {
            case LT -> v < value;
            case LE -> v <= value;
            case GT -> v > value;
            case GE -> v >= value;
        };
    }

    @Override
    public String toString() {
        return op.symbol + " " + (value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value) : String.valueOf(value));
    }
}
