package io.vigil.promql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Structure, precedence and type checks of the parser beyond selectors; messages and positions are Prometheus 2.42's. */
class PromQlGrammarTest {

    /** The tree as a compact string: {@code (a + (b * c))}, so precedence reads at a glance. */
    private static String tree(Expr e) {
        return switch (e) {
            case NumberLiteral n -> n.value() == Math.rint(n.value()) && !Double.isInfinite(n.value())
                    ? String.valueOf((long) n.value()) : String.valueOf(n.value());
            case VectorSelector s -> (s.metricName() == null ? s.matchers().toString() : s.metricName())
                    + (s.offsetMillis() != 0 ? " offset " + s.offsetMillis() + "ms" : "");
            case MatrixSelector m -> tree(m.selector()).replaceFirst("( offset .*)?$", "[" + m.rangeMillis() + "ms]$1");
            case ParenExpr p -> "(" + tree(p.expr()) + ")";
            case UnaryExpr u -> (u.negate() ? "-" : "+") + tree(u.expr());
            case Call c -> c.function().promName() + "(" + String.join(", ", c.args().stream().map(PromQlGrammarTest::tree).toList()) + ")";
            case Aggregation a -> a.op().name().toLowerCase() + (a.grouping().isEmpty() && !a.without() ? ""
                    : (a.without() ? " without" : " by") + " (" + String.join(", ", a.grouping()) + ")")
                    + "(" + (a.param() == null ? "" : tree(a.param()) + ", ") + tree(a.expr()) + ")";
            case BinaryExpr b -> "(" + tree(b.lhs()) + " " + b.op().symbol() + (b.returnBool() ? " bool" : "")
                    + (b.matchingLabels().isEmpty() && !b.on() ? "" : (b.on() ? " on" : " ignoring") + b.matchingLabels())
                    + " " + tree(b.rhs()) + ")";
        };
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a + b * c                     | (a + (b * c))",
            "a * b + c                     | ((a * b) + c)",
            "a - b - c                     | ((a - b) - c)",
            "a / b % c * d                 | (((a / b) % c) * d)",
            "2 ^ 3 ^ 2                     | (2 ^ (3 ^ 2))",
            "a > b + 1                     | (a > (b + 1))",
            "a == b != c                   | ((a == b) != c)",
            "-a * b                        | (-a * b)",
            "-2 ^ 2                        | -(2 ^ 2)",
            "-a ^ b                        | -(a ^ b)",
            "- -1                          | 1",
            "+a                            | +a",
            "(a + b) * c                   | (((a + b)) * c)",
            "a > bool 1                    | (a > bool 1)",
            "a / on(x, y) b                | (a / on[x, y] b)",
            "a + ignoring(z) b             | (a + ignoring[z] b)",
            "a < bool on() b               | (a < bool on[] b)",
            "1 + on() a                    | (1 + a)",
            "rate(a[5m] offset 1h)         | rate(a[300000ms] offset 3600000ms)",
            "a[1h30m] offset -5m           | a[5400000ms] offset -300000ms",
            "a offset 1m + b               | (a offset 60000ms + b)",
            "sum by (job) (a)              | sum by (job)(a)",
            "sum(a) by (job, instance,)    | sum by (job, instance)(a)",
            "SUM WITHOUT (x) (a)           | sum without (x)(a)",
            "avg without () (a)            | avg without ()(a)",
            "topk(3, a) + 1                | (topk(3, a) + 1)",
            "quantile(0.9, rate(a[1m]))    | quantile(0.9, rate(a[60000ms]))",
            "quantile_over_time(0.5, a[5m]) | quantile_over_time(0.5, a[300000ms])",
            "rate(((a[5m])))               | rate(a[300000ms])",
            "clamp(a, 0, 1) - time()       | (clamp(a, 0, 1) - time())",
            "sum                           | sum",
            "by{x=\"y\"}                   | by",
            "absent(nothing{job=\"x\"})    | absent(nothing)",
    })
    void precedenceAndStructure(String query, String expected) {
        assertThat(tree(PromQlParser.parse(query.strip()))).isEqualTo(expected.strip());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0x1F  | 31.0",
            "010   | 8.0",
            "019   | 19.0",
            "1e3   | 1000.0",
            ".5    | 0.5",
            "1.5e-3| 0.0015",
            "Inf   | Infinity",
            "-inf  | -Infinity",
            "NaN   | NaN",
    })
    void numberLiterals(String query, double value) {
        assertThat(Double.valueOf(((NumberLiteral) PromQlParser.parse(query.strip())).value())).isEqualTo(Double.valueOf(value));
    }

    @Test
    void typesOfExpressions() {
        assertThat(PromQlParser.parse("1 + 1").type()).isEqualTo(ValueType.SCALAR);
        assertThat(PromQlParser.parse("time() * 2").type()).isEqualTo(ValueType.SCALAR);
        assertThat(PromQlParser.parse("a * 2").type()).isEqualTo(ValueType.VECTOR);
        assertThat(PromQlParser.parse("a[5m]").type()).isEqualTo(ValueType.MATRIX);
        assertThat(PromQlParser.parse("(a[5m])").type()).isEqualTo(ValueType.MATRIX);
        assertThat(PromQlParser.parse("scalar(a)").type()).isEqualTo(ValueType.SCALAR);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '^', value = {
            "rate(a)                  | 1:6: parse error: expected type range vector in call to function \"rate\", got instant vector",
            "abs(a[5m])               | 1:5: parse error: expected type instant vector in call to function \"abs\", got range vector",
            "rate(a[5m], 1)           | 1:1: parse error: expected 1 argument(s) in call to \"rate\", got 2",
            "time(1)                  | 1:1: parse error: expected 0 argument(s) in call to \"time\", got 1",
            "clamp_min(a, b)          | 1:14: parse error: expected type scalar in call to function \"clamp_min\", got instant vector",
            "sum(a[5m])               | 1:5: parse error: expected type instant vector in aggregation expression, got range vector",
            "topk(a, b)               | 1:6: parse error: expected type scalar in aggregation parameter, got instant vector",
            "topk(b)                  | 1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1",
            "sum(a, b)                | 1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, got 2",
            "a[5m] + 1                | 1:1: parse error: binary expression must contain only scalar and instant vector types",
            "1 - a[5m]                | 1:5: parse error: binary expression must contain only scalar and instant vector types",
            "-a[5m]                   | 1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got \"range vector\"",
            "1 > 2                    | 1:3: parse error: comparisons between scalars must use BOOL modifier",
            "a + bool b               | 1:3: parse error: bool modifier can only be used on comparison operators",
            "1 + on(x) a              | 1:1: parse error: vector matching only allowed between instant vectors",
            "nosuch(a)                | 1:1: parse error: unknown function with name \"nosuch\"",
            "(a)[5m]                  | 1:4: parse error: ranges only allowed for vector selectors",
            "a offset 5m[1m]          | 1:12: parse error: no offset modifiers allowed before range",
            "a offset 1m offset 2m    | 1:1: parse error: offset may not be set multiple times",
            "sum(a) offset 1m         | 1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery",
            "a[5]                     | 1:3: parse error: missing unit character in duration",
            "a offset 5               | 1:10: parse error: missing unit character in duration",
            "a[5m                     | 1:5: parse error: unclosed left bracket",
            "a[0s]                    | 1:3: parse error: duration must be greater than 0",
            "a[5hs]                   | 1:3: parse error: not a valid duration string: \"5hs\"",
            "1x                       | 1:1: parse error: bad number or duration syntax: \"1\"",
            "1.5.3                    | 1:4: parse error: unexpected number \".3\"",
            "sum by (a b) (c)         | 1:11: parse error: unexpected identifier \"b\" in grouping opts, expected \",\" or \")\"",
            "sum without (a:b) (c)    | 1:14: parse error: unexpected metric identifier \"a:b\" in grouping opts, expected label",
            "(a + b                   | 1:7: parse error: unclosed left parenthesis",
            "rate(a[5m]               | 1:11: parse error: unclosed left parenthesis",
            "sum(rate(foo[5m])        | 1:18: parse error: unclosed left parenthesis",
            "a)                       | 1:3: parse error: unexpected right parenthesis ')'",
            "a +                      | 1:4: parse error: unexpected end of input",
            "a]                       | 1:2: parse error: unexpected right bracket ']'",
            "a[5m:1m:]                | 1:2: parse error: subqueries are not supported yet",
    })
    void typeAndSyntaxErrorsArePositioned(String query, String message) {
        assertThatThrownBy(() -> PromQlParser.parse(query.strip()))
                .isInstanceOf(PromQlParseException.class)
                .hasMessageStartingWith(message.strip());
    }

    @Test
    void everyFunctionOfTheTableParsesWithItsSignature() {
        for (PromFunction f : PromFunction.values()) {
            List<String> args = f.argTypes().stream().map(t -> switch (t) {
                case SCALAR -> "1";
                case VECTOR -> "a";
                case MATRIX -> "a[1m]";
                case STRING -> "\"s\"";
            }).toList();
            Expr e = PromQlParser.parse(f.promName() + "(" + String.join(", ", args) + ")");
            assertThat(e).isInstanceOfSatisfying(Call.class, c -> assertThat(c.function()).isEqualTo(f));
        }
    }
}
