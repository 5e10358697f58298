package io.vigil.promql;

import io.vigil.model.LabelMatcher;
import io.vigil.model.LabelMatcher.Op;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromQlParserTest {

    private static LabelMatcher m(String name, Op op, String value) {
        return LabelMatcher.of(name, op, value);
    }

    private static VectorSelector sel(String query) {
        return (VectorSelector) PromQlParser.parse(query);
    }

    private static String valueOf(String selectorBody) {
        return sel("m{a=" + selectorBody + "}").matchers().get(0).value();
    }

    private static void assertError(String query, String message) {
        assertThatThrownBy(() -> PromQlParser.parse(query))
                .isInstanceOf(PromQlParseException.class)
                .hasMessage(message);
    }

    @Test
    void bareMetricName() {
        VectorSelector s = sel("up");
        assertThat(s.metricName()).isEqualTo("up");
        assertThat(s.matchers()).containsExactly(LabelMatcher.eq("__name__", "up"));
    }

    @Test
    void everyMatcherType() {
        VectorSelector s = sel("metric{a=\"b\", c!=\"d\", e=~\"f.*\", g!~\"h\"}");
        assertThat(s.metricName()).isEqualTo("metric");
        assertThat(s.matchers()).containsExactly(
                m("a", Op.EQ, "b"), m("c", Op.NEQ, "d"), m("e", Op.RE, "f.*"), m("g", Op.NRE, "h"),
                LabelMatcher.eq("__name__", "metric"));
    }

    @Test
    void nameOnlyInsideBraces() {
        VectorSelector s = sel("{__name__=\"m\", x=\"y\"}");
        assertThat(s.metricName()).isNull();
        assertThat(s.matchers()).containsExactly(m("__name__", Op.EQ, "m"), m("x", Op.EQ, "y"));
    }

    @Test
    void trailingCommaWhitespaceAndComments() {
        VectorSelector s = sel(" \tm \n{\r\n a = \"b\" ,\n c=~'d' , } # why not\n");
        assertThat(s.matchers()).containsExactly(m("a", Op.EQ, "b"), m("c", Op.RE, "d"), LabelMatcher.eq("__name__", "m"));
        assertThat(sel("m{}").matchers()).containsExactly(LabelMatcher.eq("__name__", "m"));
    }

    @Test
    void metricNamesMayHoldColonsAndLabelNamesMayBeKeywords() {
        assertThat(sel("job:rate5m:sum").metricName()).isEqualTo("job:rate5m:sum");
        assertThat(sel(":m_1").metricName()).isEqualTo(":m_1");
        assertThat(sel("m{by=\"x\", offset=\"y\", sum=\"z\"}").matchers())
                .contains(m("by", Op.EQ, "x"), m("offset", Op.EQ, "y"), m("sum", Op.EQ, "z"));
    }

    @Test
    void regexMatchersAreAnchored() {
        LabelMatcher re = sel("m{a=~\"pay-.*\"}").matchers().get(0);
        assertThat(re.matches("pay-1")).isTrue();
        assertThat(re.matches("xpay-1")).isFalse();
    }

    @Test
    void stringEscapes() {
        assertThat(valueOf("\"q\\\"uote\"")).isEqualTo("q\"uote");
        assertThat(valueOf("\"back\\\\slash\"")).isEqualTo("back\\slash");
        assertThat(valueOf("\"a\\nb\\tc\\rd\"")).isEqualTo("a\nb\tc\rd");
        assertThat(valueOf("\"\\a\\b\\f\\v\"")).isEqualTo("\u0007\b\f\u000b");
        assertThat(valueOf("\"caf\\u00e9\"")).isEqualTo("café");
        assertThat(valueOf("\"\\U0001F600\"")).isEqualTo("😀");
        assertThat(valueOf("\"\\x41\\101\"")).isEqualTo("AA");
        assertThat(valueOf("\"\\xc3\\xa9\"")).isEqualTo("é"); // \x escapes are bytes, as in Go
        assertThat(valueOf("\"é€\"")).isEqualTo("é€");
        assertThat(valueOf("'it\\'s \"x\"'")).isEqualTo("it's \"x\"");
        assertThat(valueOf("`raw \\d+ \"x\" 'y'`")).isEqualTo("raw \\d+ \"x\" 'y'");
        assertThat(valueOf("`two\nlines`")).isEqualTo("two\nlines");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '^', value = {
            "foo{a~\"b\"}                 | 1:6: parse error: unexpected character inside braces: '~'",
            "metric{a=\"b\", ~\"c\"}       | 1:15: parse error: unexpected character inside braces: '~'",
            "foo{a=\"b\"                  | 1:10: parse error: unexpected end of input inside braces",
            "foo{a=\"b\",                 | 1:11: parse error: unexpected end of input inside braces",
            "foo{a!x\"b\"}                | 1:6: parse error: unexpected character after '!' inside braces: 'x'",
            "foo{a=\"b\"{                 | 1:10: parse error: unexpected left brace '{'",
            "foo{a=b}                     | 1:7: parse error: unexpected identifier \"b\" in label matching, expected string",
            "foo{a}                       | 1:6: parse error: unexpected \"}\" in label matching, expected label matching operator",
            "foo{a=\"b\" c=\"d\"}         | 1:11: parse error: unexpected identifier \"c\" in label matching, expected \",\" or \"}\"",
            "foo{=\"b\"}                  | 1:5: parse error: unexpected \"=\" in label matching, expected identifier or \"}\"",
            "foo{=~\"b\"}                 | 1:5: parse error: unexpected <op:=~> in label matching, expected identifier or \"}\"",
            "foo{\"a\"=\"b\"}             | 1:5: parse error: unexpected string \"\\\"a\\\"\" in label matching, expected identifier or \"}\"",
            "foo{a=\"0123456789ab\" x}    | 1:22: parse error: unexpected identifier \"x\" in label matching, expected \",\" or \"}\"",
            "foo{a=\"b}                   | 1:7: parse error: unterminated quoted string",
            "foo{a=`b}                    | 1:7: parse error: unterminated raw string",
            "foo{a=\"x\\qy\"}             | 1:7: parse error: unknown escape sequence U+0071 'q'",
            "foo{a=\"x\\'y\"}             | 1:7: parse error: unknown escape sequence U+0027 '''",
            "foo{a='x\\\"y'}              | 1:7: parse error: unknown escape sequence U+0022 '\"'",
            "foo{a=\"\\xZZ\"}             | 1:7: parse error: illegal character U+005A 'Z' in escape sequence",
            "foo{a=\"\\400\"}             | 1:7: parse error: escape sequence is an invalid Unicode code point",
            "foo{a=\"\\ud800\"}           | 1:7: parse error: escape sequence is an invalid Unicode code point",
            "foo bar                      | 1:5: parse error: unexpected identifier \"bar\"",
            "foo$                         | 1:4: parse error: unexpected character: '$'",
            "foo{}}                       | 1:6: parse error: unexpected character: '}'",
            "foo]                         | 1:4: parse error: unexpected right bracket ']'",
            "foo)                         | 1:5: parse error: unexpected right parenthesis ')'",
            "foo =~ \"x\"                 | 1:5: parse error: unexpected character after '=': '~'",
            "foo ! bar                    | 1:5: parse error: unexpected character after '!': ' '",
            "foo, bar                     | 1:4: parse error: unexpected \",\"",
            "foo{}{}                      | 1:6: parse error: unexpected \"{\"",
            "foo bool                     | 1:5: parse error: unexpected <bool>",
            "on                           | 1:1: parse error: unexpected <on>",
            "* foo                        | 1:1: parse error: unexpected <op:*>",
            "foo.bar                      | 1:4: parse error: unexpected character: '.'",
            "{}                           | 1:1: parse error: vector selector must contain at least one non-empty matcher",
            "{a=~\".*\", b!=\"x\"}        | 1:1: parse error: vector selector must contain at least one non-empty matcher",
            "{a!~\".+\"}                  | 1:1: parse error: vector selector must contain at least one non-empty matcher",
            "m{__name__=\"x\"}            | 1:1: parse error: metric name must not be set twice: \"m\" or \"x\"",
            "m{__name__=~\"x.*\"}         | 1:1: parse error: metric name must not be set twice: \"m\" or \"x.*\"",
    })
    void syntaxErrorsArePositionedAndWordedLikePrometheus(String query, String message) {
        assertError(query.strip(), message);
    }

    @Test
    void emptyQuery() {
        assertError("", "1:1: parse error: no expression found in input");
        assertError("  # just a comment", "1:1: parse error: no expression found in input");
    }

    @Test
    void positionsCountLinesAndUtf8Bytes() {
        assertError("foo{\n  a~\"b\"}", "2:4: parse error: unexpected character inside braces: '~'");
        assertError("foo{a=\"é\", b~\"c\"}", "1:14: parse error: unexpected character inside braces: '~'");
        assertError("foo{a=\"b\",\n\n", "3:1: parse error: unexpected end of input inside braces");
        assertError("  {a=\"\"}", "1:3: parse error: vector selector must contain at least one non-empty matcher");
    }

    @Test
    void invalidRegexIsAParseErrorAtTheLabel() {
        assertThatThrownBy(() -> PromQlParser.parse("foo{a=\"b\", c=~\"(\"}"))
                .isInstanceOf(PromQlParseException.class)
                .hasMessageStartingWith("1:12: parse error: ")
                .hasMessageContaining("regular expression");
    }

    @Test
    void nonEmptyRegexIsEnoughAndSelectsWithoutAName() {
        VectorSelector s = sel("{__name__=~\".+\"}");
        assertThat(s.matchers()).containsExactly(m("__name__", Op.RE, ".+"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "foo[5m:1m]                     | 1:4  | subqueries are",
            "foo{a=\"b\"}[5m:]              | 1:11 | subqueries are",
            "rate(foo[5m])[10m:1m]          | 1:14 | subqueries are",
            "foo @ 1609746000               | 1:5  | @ modifiers are",
            "foo and bar                    | 1:5  | set operators (and, or, unless) are",
            "foo OR bar                     | 1:5  | set operators (and, or, unless) are",
            "foo unless bar                 | 1:5  | set operators (and, or, unless) are",
            "foo atan2 bar                  | 1:5  | the atan2 operator is",
            "foo * on(a) group_left bar     | 1:13 | group_left and group_right (many-to-one matching) are",
            "foo / ignoring(a) group_right() bar | 1:19 | group_left and group_right (many-to-one matching) are",
            "stddev(foo)                    | 1:1  | the aggregation \"stddev\" is",
            "count_values(\"v\", foo)         | 1:1  | the aggregation \"count_values\" is",
            "group by (a) (foo)             | 1:1  | the aggregation \"group\" is",
            "histogram_quantile(0.9, foo)   | 1:1  | the function \"histogram_quantile\" is",
            "label_replace(foo, \"a\", \"b\", \"c\", \"d\") | 1:1 | the function \"label_replace\" is",
            "\"up\"                         | 1:1  | string literals are",
            "1 + count_values(\"x\", foo)     | 1:5  | the aggregation \"count_values\" is",
    })
    void otherPromQlIsRefusedAsNotSupportedYet(String query, String position, String what) {
        assertThatThrownBy(() -> PromQlParser.parse(query.strip()))
                .isInstanceOfSatisfying(PromQlParseException.class, e -> assertThat(e.unsupported()).isTrue())
                .hasMessageStartingWith(position + ": parse error: " + what + " not supported yet");
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo", "foo{}", "foo {a=\"b\"}", "{a=\"b\"}", "foo # comment"})
    void selectorsAreNotMarkedUnsupported(String query) {
        assertThat(sel(query)).isNotNull();
    }
}
