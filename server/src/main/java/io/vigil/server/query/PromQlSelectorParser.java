package io.vigil.server.query;

import io.vigil.model.LabelMatcher;
import io.vigil.model.LabelNames;
import io.vigil.server.query.PromQlLexer.Kind;
import io.vigil.server.query.PromQlLexer.Token;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses the one PromQL form Vigil evaluates so far: an instant vector selector
 * ({@code metric}, {@code metric{a="b", c=~"d.*"}}, {@code {__name__="m"}}).
 *
 * <p>Everything else is refused with a positioned error rather than half-evaluated: a query that
 * is valid PromQL but uses a feature Vigil lacks (functions, operators, ranges, offsets, literals)
 * gets an "are not supported yet" message, anything else Prometheus' own syntax error.
 */
public final class PromQlSelectorParser {

    // Keyword tokens Prometheus' grammar also accepts as metric names (its metric_identifier rule).
    private static final Set<String> KEYWORDS_USABLE_AS_NAMES = Set.of("by", "without", "offset", "and", "or", "unless", "start", "end");
    private static final String ONLY_SELECTORS = " are not supported yet (Vigil evaluates only instant vector selectors such as metric{label=\"value\"})";

    private final String query;
    private final PromQlLexer lexer;

    private PromQlSelectorParser(String query) {
        this.query = query;
        this.lexer = new PromQlLexer(query);
    }

    /** @throws PromQlParseException with a Prometheus-style positioned message */
    public static VectorSelector parse(String query) {
        return new PromQlSelectorParser(query).selector();
    }

    private VectorSelector selector() {
        Token first = lexer.next();
        var matchers = new ArrayList<LabelMatcher>();
        String name = null;
        Token after;
        if (first.kind() == Kind.EOF) {
            throw lexer.error(0, "no expression found in input");
        } else if (isMetricName(first)) {
            name = first.text();
            Token next = lexer.next();
            rejectCallOrAggregation(first, next);
            if (next.is("{")) {
                labelMatchers(matchers);
                after = lexer.next();
            } else {
                after = next;
            }
        } else if (first.is("{")) {
            labelMatchers(matchers);
            after = lexer.next();
        } else {
            throw rejectStart(first);
        }
        rejectTrailing(after);

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
        return new VectorSelector(name, matchers);
    }

    private void labelMatchers(List<LabelMatcher> out) {
        Token tok = lexer.next();
        if (tok.is("}")) {
            return;
        }
        while (true) {
            if (tok.kind() != Kind.IDENTIFIER) {
                throw unexpected(tok, "label matching", "identifier or \"}\"");
            }
            Token op = lexer.next();
            LabelMatcher.Op matchOp = matchOp(op);
            if (matchOp == null) {
                throw unexpected(op, "label matching", "label matching operator");
            }
            Token value = lexer.next();
            if (value.kind() != Kind.STRING) {
                throw unexpected(value, "label matching", "string");
            }
            try {
                out.add(LabelMatcher.of(tok.text(), matchOp, value.value()));
            } catch (IllegalArgumentException e) {
                throw lexer.error(tok.pos(), e.getMessage());
            }
            Token sep = lexer.next();
            if (sep.is("}")) {
                return;
            }
            if (!sep.is(",")) {
                throw unexpected(sep, "label matching", "\",\" or \"}\"");
            }
            tok = lexer.next();
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

    private static boolean isMetricName(Token t) {
        return switch (t.kind()) {
            case IDENTIFIER, METRIC_IDENTIFIER, AGGREGATOR -> true;
            case KEYWORD, OPERATOR, PREPROCESSOR -> KEYWORDS_USABLE_AS_NAMES.contains(t.text().toLowerCase(Locale.ROOT));
            default -> false;
        };
    }

    private void rejectCallOrAggregation(Token name, Token next) {
        boolean aggregator = name.kind() == Kind.AGGREGATOR;
        if (aggregator && (next.is("(") || next.isWord(Kind.KEYWORD, "by") || next.isWord(Kind.KEYWORD, "without"))) {
            throw unsupported(name, "aggregations");
        }
        if (next.is("(")) {
            if (name.kind() == Kind.IDENTIFIER) {
                throw unsupported(name, "function calls");
            }
            throw unexpected(next, null, null);
        }
    }

    private PromQlParseException rejectStart(Token t) {
        if (t.kind() == Kind.NUMBER) {
            return unsupported(t, "number literals");
        } else if (t.kind() == Kind.STRING) {
            return unsupported(t, "string literals");
        } else if (t.is("(")) {
            return unsupported(t, "parenthesized expressions");
        } else if (t.is("+") || t.is("-")) {
            return unsupported(t, "unary operators");
        }
        return unexpected(t, null, null);
    }

    private void rejectTrailing(Token t) {
        if (t.kind() == Kind.EOF) {
            return;
        }
        if (t.is("[")) {
            throw unsupported(t, "range vector selectors and subqueries");
        } else if (t.isWord(Kind.KEYWORD, "offset")) {
            throw unsupported(t, "offset modifiers");
        } else if (t.is("@")) {
            throw unsupported(t, "@ modifiers");
        } else if (t.kind() == Kind.OPERATOR) {
            throw unsupported(t, "binary operators");
        }
        throw unexpected(t, null, null);
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

    private PromQlParseException unsupported(Token t, String what) {
        return new PromQlParseException(query, t.pos(), what + ONLY_SELECTORS, true);
    }
}
