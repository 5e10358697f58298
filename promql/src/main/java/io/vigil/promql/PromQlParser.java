package io.vigil.promql;

import io.vigil.model.LabelMatcher;
import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import io.vigil.promql.PromQlLexer.Kind;
import io.vigil.promql.PromQlLexer.Token;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A recursive-descent parser for the PromQL subset Vigil evaluates, with Prometheus' precedence
 * and associativity ({@code generated_parser.y}) and its type checks ({@code parser.checkAST}).
 *
 * <p>Everything outside the subset is refused with a positioned error rather than half-evaluated:
 * valid PromQL that uses a feature Vigil lacks (subqueries, {@code @}, set operators, group_left,
 * other functions) gets an "are not supported yet" message, anything else Prometheus' own error.
 */
public final class PromQlParser {

    // Keyword tokens Prometheus' grammar also accepts as metric names (its metric_identifier rule).
    private static final Set<String> KEYWORDS_USABLE_AS_NAMES = Set.of("by", "without", "offset", "and", "or", "unless", "start", "end");
    private static final String NOT_YET = " not supported yet (Vigil evaluates a PromQL subset: selectors, ranges, offset, arithmetic "
            + "and comparison operators, sum/avg/min/max/count/topk/bottomk/quantile, rate/irate/increase/delta, *_over_time and a few more)";

    private final String query;
    private final PromQlLexer lexer;
    private Token lookahead;

    private PromQlParser(String query) {
        this.query = query;
        this.lexer = new PromQlLexer(query);
    }

    /** @throws PromQlParseException with a Prometheus-style positioned message */
    public static Expr parse(String query) {
        var parser = new PromQlParser(query);
        if (parser.peek().kind() == Kind.EOF) {
            throw parser.lexer.error(0, "no expression found in input");
        }
        Expr expr = parser.expr(0);
        Token trailing = parser.next();
        if (trailing.kind() != Kind.EOF) {
            throw parser.unexpected(trailing, null, null);
        }
        return expr;
    }

    private Token peek() {
        if (lookahead == null) {
            lookahead = lexer.next();
        }
        return lookahead;
    }

    private Token next() {
        Token t = peek();
        lookahead = null;
        return t;
    }

    private Token expect(String punct, String context, String expected) {
        Token t = next();
        if (!t.is(punct)) {
            throw unexpected(t, context, expected);
        }
        return t;
    }

    /** Precedence climbing: binary operators binding at least as tightly as {@code minPrecedence}. */
    private Expr expr(int minPrecedence) {
        Expr lhs = unary();
        while (true) {
            Token t = peek();
            if (t.kind() != Kind.OPERATOR) {
                return lhs;
            }
            String symbol = t.text().toLowerCase(Locale.ROOT);
            BinaryOp op = BinaryOp.bySymbol(symbol);
            if (op == null) {
                if (symbol.equals("and") || symbol.equals("or") || symbol.equals("unless")) {
                    throw unsupported(t, "set operators (and, or, unless) are");
                } else if (symbol.equals("atan2")) {
                    throw unsupported(t, "the atan2 operator is");
                } else if (symbol.equals("@")) {
                    throw unsupported(t, "@ modifiers are");
                }
                throw unexpected(t, null, null);
            }
            if (op.precedence() < minPrecedence) {
                return lhs;
            }
            next();
            lhs = binaryRest(op, t, lhs);
        }
    }

    private Expr binaryRest(BinaryOp op, Token opToken, Expr lhs) {
        boolean returnBool = false;
        if (peek().isWord(Kind.KEYWORD, "bool")) {
            next();
            if (!op.isComparison()) {
                throw lexer.error(opToken.pos(), "bool modifier can only be used on comparison operators");
            }
            returnBool = true;
        }
        boolean hasMatching = false;
        boolean on = false;
        List<String> matchingLabels = List.of();
        Token m = peek();
        if (m.isWord(Kind.KEYWORD, "on") || m.isWord(Kind.KEYWORD, "ignoring")) {
            next();
            hasMatching = true;
            on = m.isWord(Kind.KEYWORD, "on");
            matchingLabels = labelList("grouping opts");
            Token g = peek();
            if (g.isWord(Kind.KEYWORD, "group_left") || g.isWord(Kind.KEYWORD, "group_right")) {
                throw unsupported(g, "group_left and group_right (many-to-one matching) are");
            }
        }
        Expr rhs = expr(op.rightAssociative() ? op.precedence() : op.precedence() + 1);
        for (Expr side : List.of(lhs, rhs)) {
            if (side.type() != ValueType.SCALAR && side.type() != ValueType.VECTOR) {
                throw lexer.error(side.pos(), "binary expression must contain only scalar and instant vector types");
            }
        }
        boolean scalars = lhs.type() == ValueType.SCALAR || rhs.type() == ValueType.SCALAR;
        if (hasMatching && scalars) {
            if (!matchingLabels.isEmpty()) {
                throw lexer.error(lhs.pos(), "vector matching only allowed between instant vectors");
            }
            matchingLabels = List.of(); // "1 + on() v" is accepted, the clause meaning nothing
            on = false;
        }
        if (op.isComparison() && !returnBool && lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR) {
            throw lexer.error(opToken.pos(), "comparisons between scalars must use BOOL modifier");
        }
        return new BinaryExpr(op, lhs, rhs, matchingLabels, on, returnBool, lhs.pos());
    }

    /** Unary minus and plus bind like {@code *}: tighter than {@code +}, looser than {@code ^} ({@code -2^2 = -4}). */
    private Expr unary() {
        Token t = peek();
        if (t.is("-") || t.is("+")) {
            next();
            Expr operand = expr(BinaryOp.POW.precedence());
            if (operand.type() != ValueType.SCALAR && operand.type() != ValueType.VECTOR) {
                throw lexer.error(t.pos(), "unary expression only allowed on expressions of type scalar or instant vector, got "
                        + GoText.quote(operand.type().promName()));
            }
            if (operand instanceof NumberLiteral n) {
                return new NumberLiteral(t.is("-") ? -n.value() : n.value(), t.pos());
            }
            return new UnaryExpr(t.is("-"), operand, t.pos());
        }
        return postfix(primary());
    }

    private Expr postfix(Expr expr) {
        while (true) {
            Token t = peek();
            if (t.is("[")) {
                next();
                expr = range(expr, t);
            } else if (t.isWord(Kind.KEYWORD, "offset")) {
                next();
                expr = offset(expr, t);
            } else if (t.is("@")) {
                throw unsupported(t, "@ modifiers are");
            } else {
                return expr;
            }
        }
    }

    private Expr range(Expr expr, Token bracket) {
        Token d = next();
        if (d.is(":")) {
            throw unsupported(bracket, "subqueries are");
        }
        if (d.kind() != Kind.DURATION) {
            throw d.kind() == Kind.NUMBER ? lexer.error(d.pos(), "missing unit character in duration") : unexpected(d, "matrix selector", "duration");
        }
        long rangeMillis = duration(d);
        Token close = next();
        if (close.is(":")) {
            throw unsupported(bracket, "subqueries are");
        }
        if (!close.is("]")) {
            throw unexpected(close, "matrix selector", "\"]\"");
        }
        if (!(expr instanceof VectorSelector selector)) {
            throw lexer.error(bracket.pos(), "ranges only allowed for vector selectors");
        }
        if (selector.offsetMillis() != 0) {
            throw lexer.error(bracket.pos(), "no offset modifiers allowed before range");
        }
        if (rangeMillis <= 0) {
            throw lexer.error(d.pos(), "duration must be greater than 0");
        }
        return new MatrixSelector(selector, rangeMillis, selector.pos());
    }

    private Expr offset(Expr expr, Token keyword) {
        boolean negative = false;
        if (peek().is("-") || peek().is("+")) {
            negative = next().is("-");
        }
        Token d = next();
        if (d.kind() != Kind.DURATION) {
            throw d.kind() == Kind.NUMBER ? lexer.error(d.pos(), "missing unit character in duration") : unexpected(d, "offset", "duration");
        }
        long offset = negative ? -duration(d) : duration(d);
        if (expr instanceof VectorSelector s) {
            if (s.offsetMillis() != 0) {
                throw lexer.error(expr.pos(), "offset may not be set multiple times");
            }
            return s.withOffset(offset);
        } else if (expr instanceof MatrixSelector m) {
            if (m.selector().offsetMillis() != 0) {
                throw lexer.error(expr.pos(), "offset may not be set multiple times");
            }
            return new MatrixSelector(m.selector().withOffset(offset), m.rangeMillis(), m.pos());
        }
        throw lexer.error(expr.pos(), "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
    }

    private Expr primary() {
        Token t = next();
        switch (t.kind()) {
            case EOF -> throw unexpected(t, null, null);
            case NUMBER -> {
                return new NumberLiteral(number(t), t.pos());
            }
            case STRING -> throw unsupported(t, "string literals are");
            case AGGREGATOR -> {
                Token n = peek();
                if (n.is("(") || n.isWord(Kind.KEYWORD, "by") || n.isWord(Kind.KEYWORD, "without")) {
                    return aggregation(t);
                }
                return selector(t.text(), t);
            }
            case IDENTIFIER -> {
                if (peek().is("(")) {
                    return call(t);
                }
                return selector(t.text(), t);
            }
            case METRIC_IDENTIFIER -> {
                if (peek().is("(")) {
                    throw unexpected(peek(), null, null);
                }
                return selector(t.text(), t);
            }
            default -> {
                if (t.is("(")) {
                    Expr inner = expr(0);
                    expect(")", "paren expression", "\")\"");
                    return new ParenExpr(inner, t.pos());
                }
                if (t.is("{")) {
                    return selector(null, t);
                }
                if ((t.kind() == Kind.KEYWORD || t.kind() == Kind.OPERATOR || t.kind() == Kind.PREPROCESSOR)
                        && KEYWORDS_USABLE_AS_NAMES.contains(t.text().toLowerCase(Locale.ROOT))) {
                    return selector(t.text(), t);
                }
                throw unexpected(t, null, null);
            }
        }
    }

    private Expr call(Token name) {
        PromFunction f = PromFunction.byName(name.text());
        if (f == null) {
            if (PromFunction.OTHER_PROMETHEUS_FUNCTIONS.contains(name.text())) {
                throw unsupported(name, "the function " + GoText.quote(name.text()) + " is");
            }
            throw lexer.error(name.pos(), "unknown function with name " + GoText.quote(name.text()));
        }
        expect("(", "function call", "\"(\"");
        List<Expr> args = arguments("function call");
        if (args.size() != f.argTypes().size()) {
            throw lexer.error(name.pos(), "expected " + f.argTypes().size() + " argument(s) in call to " + GoText.quote(f.promName())
                    + ", got " + args.size());
        }
        for (int i = 0; i < args.size(); i++) {
            ValueType want = f.argTypes().get(i);
            if (args.get(i).type() != want) {
                throw lexer.error(args.get(i).pos(), "expected type " + want.promName() + " in call to function "
                        + GoText.quote(f.promName()) + ", got " + args.get(i).type().promName());
            }
            // rate((m[5m])) is rate(m[5m]): the range functions need the selector itself (its range and offset).
            while (want == ValueType.MATRIX && args.get(i) instanceof ParenExpr p) {
                args.set(i, p.expr());
            }
        }
        return new Call(f, args, name.pos());
    }

    /** The comma-separated arguments after "(", up to and including ")". */
    private List<Expr> arguments(String context) {
        var args = new ArrayList<Expr>();
        if (peek().is(")")) {
            next();
            return args;
        }
        while (true) {
            args.add(expr(0));
            Token sep = next();
            if (sep.is(")")) {
                return args;
            }
            if (!sep.is(",")) {
                throw unexpected(sep, context, "\",\" or \")\"");
            }
        }
    }

    private Expr aggregation(Token name) {
        AggregationOp op = AggregationOp.byName(name.text());
        if (op == null) {
            throw unsupported(name, "the aggregation " + GoText.quote(name.text().toLowerCase(Locale.ROOT)) + " is");
        }
        List<String> grouping = List.of();
        boolean without = false;
        boolean grouped = false;
        Token g = peek();
        if (g.isWord(Kind.KEYWORD, "by") || g.isWord(Kind.KEYWORD, "without")) {
            next();
            without = g.isWord(Kind.KEYWORD, "without");
            grouping = labelList("grouping opts");
            grouped = true;
        }
        expect("(", "aggregation", "\"(\"");
        List<Expr> args = arguments("aggregation");
        g = peek();
        if (!grouped && (g.isWord(Kind.KEYWORD, "by") || g.isWord(Kind.KEYWORD, "without"))) {
            next();
            without = g.isWord(Kind.KEYWORD, "without");
            grouping = labelList("grouping opts");
        }
        int expected = op.takesParam() ? 2 : 1;
        if (args.size() != expected) {
            throw lexer.error(name.pos(), "wrong number of arguments for aggregate expression provided, expected " + expected
                    + ", got " + args.size());
        }
        Expr param = op.takesParam() ? args.get(0) : null;
        Expr expr = args.get(args.size() - 1);
        if (param != null && param.type() != ValueType.SCALAR) {
            throw lexer.error(param.pos(), "expected type scalar in aggregation parameter, got " + param.type().promName());
        }
        if (expr.type() != ValueType.VECTOR) {
            throw lexer.error(expr.pos(), "expected type instant vector in aggregation expression, got " + expr.type().promName());
        }
        return new Aggregation(op, param, expr, grouping, without, name.pos());
    }

    /** {@code (a, b, c)} after by, without, on or ignoring; a trailing comma is allowed. */
    private List<String> labelList(String context) {
        expect("(", context, "\"(\"");
        var labels = new ArrayList<String>();
        while (true) {
            Token t = next();
            if (t.is(")")) {
                return labels;
            }
            boolean word = switch (t.kind()) {
                case IDENTIFIER, AGGREGATOR, KEYWORD, OPERATOR, PREPROCESSOR -> Labels.isValidName(t.text());
                default -> false;
            };
            if (!word) {
                throw unexpected(t, context, "label");
            }
            labels.add(t.text());
            Token sep = next();
            if (sep.is(")")) {
                return labels;
            }
            if (!sep.is(",")) {
                throw unexpected(sep, context, "\",\" or \")\"");
            }
        }
    }

    private VectorSelector selector(String name, Token first) {
        var matchers = new ArrayList<LabelMatcher>();
        if (first.is("{")) {
            labelMatchers(matchers);
        } else if (peek().is("{")) {
            next();
            labelMatchers(matchers);
        }
        if (name != null) {
            for (LabelMatcher m : matchers) {
                if (m.name().equals(LabelNames.METRIC_NAME)) {
                    throw lexer.error(first.pos(), "metric name must not be set twice: " + GoText.quote(name) + " or " + GoText.quote(m.value()));
                }
            }
            matchers.add(LabelMatcher.eq(LabelNames.METRIC_NAME, name));
        }
        if (matchers.stream().allMatch(LabelMatcher::matchesEmpty)) {
            // Prometheus refuses these so that a typo cannot select every series in the store.
            throw lexer.error(first.pos(), "vector selector must contain at least one non-empty matcher");
        }
        return new VectorSelector(name, matchers, 0, first.pos());
    }

    private void labelMatchers(List<LabelMatcher> out) {
        Token tok = next();
        if (tok.is("}")) {
            return;
        }
        while (true) {
            if (tok.kind() != Kind.IDENTIFIER) {
                throw unexpected(tok, "label matching", "identifier or \"}\"");
            }
            Token op = next();
            LabelMatcher.Op matchOp = matchOp(op);
            if (matchOp == null) {
                throw unexpected(op, "label matching", "label matching operator");
            }
            Token value = next();
            if (value.kind() != Kind.STRING) {
                throw unexpected(value, "label matching", "string");
            }
            try {
                out.add(LabelMatcher.of(tok.text(), matchOp, value.value()));
            } catch (IllegalArgumentException e) {
                throw lexer.error(tok.pos(), e.getMessage());
            }
            Token sep = next();
            if (sep.is("}")) {
                return;
            }
            if (!sep.is(",")) {
                throw unexpected(sep, "label matching", "\",\" or \"}\"");
            }
            tok = next();
            if (tok.is("}")) {
                return; // a trailing comma is allowed
            }
        }
    }

    private static LabelMatcher.Op matchOp(Token op) {
        if (op.is("=")) {
            return LabelMatcher.Op.EQ;
        } else if (op.is("!=")) {
            return LabelMatcher.Op.NEQ;
        } else if (op.is("=~")) {
            return LabelMatcher.Op.RE;
        } else if (op.is("!~")) {
            return LabelMatcher.Op.NRE;
        }
        return null;
    }

    /** parser.go's {@code parseNumber}: Go's {@code ParseInt(s, 0, 64)} (hex, octal), else {@code ParseFloat}. */
    private double number(Token t) {
        String s = t.text();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.equals("inf")) {
            return Double.POSITIVE_INFINITY;
        } else if (lower.equals("nan")) {
            return Double.NaN;
        }
        try {
            if (lower.startsWith("0x")) {
                return Long.parseLong(s.substring(2), 16);
            }
            if (s.length() > 1 && s.startsWith("0") && s.chars().allMatch(c -> c >= '0' && c <= '7')) {
                return Long.parseLong(s.substring(1), 8);
            }
            double d = Double.parseDouble(s);
            if (Double.isInfinite(d)) {
                throw new NumberFormatException("value out of range");
            }
            return d;
        } catch (NumberFormatException e) {
            throw lexer.error(t.pos(), "error parsing number: strconv.ParseFloat: parsing " + GoText.quote(s) + ": invalid syntax");
        }
    }

    private long duration(Token t) {
        Long millis = PromDurations.parseMillis(t.text());
        if (millis == null) {
            throw lexer.error(t.pos(), "not a valid duration string: " + GoText.quote(t.text()));
        }
        return millis;
    }

    private PromQlParseException unexpected(Token t, String context, String expected) {
        var msg = new StringBuilder("unexpected ").append(t.desc());
        if (context != null) {
            msg.append(" in ").append(context);
        }
        if (expected != null) {
            msg.append(", expected ").append(expected);
        }
        return lexer.error(t.pos(), msg.toString());
    }

    private PromQlParseException unsupported(Token t, String whatIsOrAre) {
        return new PromQlParseException(query, t.pos(), whatIsOrAre + NOT_YET, true);
    }
}
