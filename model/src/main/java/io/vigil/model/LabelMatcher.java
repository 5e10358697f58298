package io.vigil.model;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One label matcher of a selector, with Prometheus semantics: an absent label matches as the
 * empty string, and regular expressions are anchored at both ends ({@code =~"pay-.*"} does not
 * match {@code "xpay-1"}).
 */
public record LabelMatcher(String name, Op op, String value, Pattern pattern) {

    public enum Op {
        EQ("="), NEQ("!="), RE("=~"), NRE("!~");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    public LabelMatcher {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(value, "value");
    }

    /** @throws IllegalArgumentException with the regex error when a pattern does not compile */
    public static LabelMatcher of(String name, Op op, String value) {
        Pattern pattern = null;
        if (op == Op.RE || op == Op.NRE) {
            try {
                pattern = Pattern.compile("(?:" + value + ")", Pattern.DOTALL);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regular expression for label " + name + ": " + e.getDescription()
                        + " near index " + e.getIndex() + " of \"" + value + "\"", e);
            }
        }
        return new LabelMatcher(name, op, value, pattern);
    }

    public static LabelMatcher eq(String name, String value) {
        return of(name, Op.EQ, value);
    }

    /** Whether a label value (null when the label is absent) satisfies this matcher. */
    public boolean matches(String labelValue) {
        String v = labelValue == null ? "" : labelValue;
        return switch (op) {
            case EQ -> v.equals(value);
            case NEQ -> !v.equals(value);
            case RE -> pattern.matcher(v).matches();
            case NRE -> !pattern.matcher(v).matches();
        };
    }

    /** Whether a series with these labels (its metric name under {@code __name__}) is selected. */
    public boolean matches(Labels labels) {
        return matches(labels.get(name));
    }

    /** True when the matcher also selects series that lack the label: it cannot narrow a query alone. */
    public boolean matchesEmpty() {
        return matches((String) null);
    }

    @Override
    public String toString() {
        return name + op.symbol + '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelMatcher m && name.equals(m.name) && op == m.op && value.equals(m.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, op, value);
    }
}
