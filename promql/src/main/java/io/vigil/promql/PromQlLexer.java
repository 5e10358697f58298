package io.vigil.promql;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Prometheus' PromQL lexer ({@code promql/parser/lex.go}): its token classes and error messages,
 * so that anything Vigil does not evaluate is at least recognised for what it is. Errors point at
 * the start of the token being read, as Prometheus' do.
 */
final class PromQlLexer {

    enum Kind { EOF, IDENTIFIER, METRIC_IDENTIFIER, NUMBER, DURATION, STRING, PUNCT, OPERATOR, AGGREGATOR, KEYWORD, PREPROCESSOR }

    /**
     * @param pos   char index of the token's first character
     * @param text  the token as written (strings with their quotes)
     * @param value the unquoted value of a string, else null
     */
    record Token(Kind kind, int pos, String text, String value) {

        boolean is(String punctOrOperator) {
            return (kind == Kind.PUNCT || kind == Kind.OPERATOR) && text.equals(punctOrOperator);
        }

        boolean isWord(Kind k, String lowerCaseWord) {
            return kind == k && text.toLowerCase(Locale.ROOT).equals(lowerCaseWord);
        }

        /** Prometheus' {@code Item.desc()}, as used in "unexpected …" messages. */
        String desc() {
            return switch (kind) {
                case EOF -> "end of input";
                case IDENTIFIER -> "identifier " + GoText.quote(text);
                case METRIC_IDENTIFIER -> "metric identifier " + GoText.quote(text);
                case NUMBER -> "number " + GoText.quote(text);
                case DURATION -> "duration " + GoText.quote(text);
                case STRING -> "string " + (text.getBytes(StandardCharsets.UTF_8).length > 10 ? GoText.quote(text, 10) + "..." : GoText.quote(text));
                case OPERATOR -> "<op:" + text + ">";
                case AGGREGATOR -> "<aggr:" + text + ">";
                case KEYWORD -> "<" + text + ">";
                case PUNCT, PREPROCESSOR -> GoText.quote(text);
            };
        }
    }

    // Keywords are case-insensitive in PromQL; "inf" and "nan" are number literals.
    private static final Map<String, Kind> WORDS = Map.ofEntries(
            Map.entry("and", Kind.OPERATOR), Map.entry("or", Kind.OPERATOR), Map.entry("unless", Kind.OPERATOR),
            Map.entry("atan2", Kind.OPERATOR),
            Map.entry("sum", Kind.AGGREGATOR), Map.entry("avg", Kind.AGGREGATOR), Map.entry("count", Kind.AGGREGATOR),
            Map.entry("min", Kind.AGGREGATOR), Map.entry("max", Kind.AGGREGATOR), Map.entry("group", Kind.AGGREGATOR),
            Map.entry("stddev", Kind.AGGREGATOR), Map.entry("stdvar", Kind.AGGREGATOR), Map.entry("topk", Kind.AGGREGATOR),
            Map.entry("bottomk", Kind.AGGREGATOR), Map.entry("count_values", Kind.AGGREGATOR),
            Map.entry("quantile", Kind.AGGREGATOR),
            Map.entry("offset", Kind.KEYWORD), Map.entry("by", Kind.KEYWORD), Map.entry("without", Kind.KEYWORD),
            Map.entry("on", Kind.KEYWORD), Map.entry("ignoring", Kind.KEYWORD), Map.entry("group_left", Kind.KEYWORD),
            Map.entry("group_right", Kind.KEYWORD), Map.entry("bool", Kind.KEYWORD),
            Map.entry("start", Kind.PREPROCESSOR), Map.entry("end", Kind.PREPROCESSOR),
            Map.entry("inf", Kind.NUMBER), Map.entry("nan", Kind.NUMBER));

    private static final int EOF = -1;

    private final String input;
    private int pos;
    private boolean insideBraces;
    private boolean insideBrackets;
    private boolean gotColon;
    private int parenDepth;

    PromQlLexer(String input) {
        this.input = input;
    }

    Token next() {
        return insideBraces ? lexInsideBraces() : lexStatement();
    }

    private Token lexStatement() {
        skipSpacesAndComments();
        int start = pos;
        int c = advance();
        switch (c) {
            case EOF:
                if (parenDepth != 0) {
                    throw error(start, "unclosed left parenthesis");
                } else if (insideBrackets) {
                    throw error(start, "unclosed left bracket");
                }
                return new Token(Kind.EOF, start, "", null);
            case ',':
                return punct(start);
            case '(':
                parenDepth++;
                return punct(start);
            case ')':
                parenDepth--;
                if (parenDepth < 0) {
                    throw error(pos, "unexpected right parenthesis " + GoText.quoteRune(c)); // Prometheus points past it
                }
                return punct(start);
            case '[':
                if (insideBrackets) {
                    throw error(start, "unexpected left bracket " + GoText.quoteRune(c));
                }
                insideBrackets = true;
                gotColon = false;
                return punct(start);
            case '{':
                insideBraces = true;
                return punct(start);
            case ']':
                if (!insideBrackets) {
                    throw error(start, "unexpected right bracket " + GoText.quoteRune(c));
                }
                insideBrackets = false;
                return punct(start);
            case '*', '/', '%', '+', '-', '^', '@':
                return operator(start);
            case '=':
                if (peek() == '=') {
                    advance();
                    return operator(start);
                }
                if (peek() == '~') {
                    throw error(start, "unexpected character after '=': " + GoText.quoteRune('~'));
                }
                return punct(start);
            case '!': {
                int t = advance();
                if (t != '=') {
                    throw error(start, "unexpected character after '!': " + GoText.quoteRune(t));
                }
                return operator(start);
            }
            case '<', '>':
                if (peek() == '=') {
                    advance();
                }
                return operator(start);
            case '"', '\'':
                return lexString(start, c);
            case '`':
                return lexRawString(start);
            default:
                break;
        }
        if (isDigit(c) || (c == '.' && isDigit(peek()))) {
            pos = start;
            return lexNumberOrDuration(start);
        }
        if (insideBrackets && c == ':') {
            if (gotColon) {
                throw error(start, "unexpected colon " + GoText.quoteRune(c));
            }
            gotColon = true;
            return punct(start);
        }
        if (isAlpha(c) || c == ':') {
            while (isAlphaNumeric(peek()) || peek() == ':') {
                advance();
            }
            String word = input.substring(start, pos);
            Kind kind = WORDS.get(word.toLowerCase(Locale.ROOT));
            if (kind == null) {
                kind = word.indexOf(':') >= 0 ? Kind.METRIC_IDENTIFIER : Kind.IDENTIFIER;
            }
            return new Token(kind, start, word, null);
        }
        throw error(start, "unexpected character: " + GoText.quoteRune(c));
    }

    /** lex.go's {@code lexNumberOrDuration}: {@code 1.5e3}, {@code 0x1F}, or a duration such as {@code 1h30m}. */
    private Token lexNumberOrDuration(int start) {
        if (scanNumber()) {
            return new Token(Kind.NUMBER, start, input.substring(start, pos), null);
        }
        if (acceptRemainingDuration()) {
            return new Token(Kind.DURATION, start, input.substring(start, pos), null);
        }
        throw error(start, "bad number or duration syntax: " + GoText.quote(input.substring(start, Math.min(pos, input.length()))));
    }

    private boolean scanNumber() {
        String digits = "0123456789";
        if (accept("0") && accept("xX")) {
            digits = "0123456789abcdefABCDEF";
        }
        acceptRun(digits);
        if (accept(".")) {
            acceptRun(digits);
        }
        if (accept("eE")) {
            accept("+-");
            acceptRun("0123456789");
        }
        return !isAlphaNumeric(peek());
    }

    private boolean acceptRemainingDuration() {
        if (!accept("smhdwy")) {
            return false;
        }
        accept("s"); // "ms"; bad units such as "hs" are caught when the duration is parsed
        while (accept("0123456789")) {
            acceptRun("0123456789");
            if (!accept("smhdw")) {
                return false;
            }
            accept("s");
        }
        return !isAlphaNumeric(peek());
    }

    private boolean accept(String valid) {
        int c = peek();
        if (c != EOF && valid.indexOf(c) >= 0) {
            advance();
            return true;
        }
        return false;
    }

    private void acceptRun(String valid) {
        while (accept(valid)) {
            // consume
        }
    }

    private Token lexInsideBraces() {
        skipSpacesAndComments();
        int start = pos;
        int c = advance();
        switch (c) {
            case EOF:
                throw error(start, "unexpected end of input inside braces");
            case ',':
                return punct(start);
            case '"', '\'':
                return lexString(start, c);
            case '`':
                return lexRawString(start);
            case '=':
                if (peek() == '~') {
                    advance();
                    return operator(start);
                }
                return punct(start);
            case '!': {
                int nr = advance();
                if (nr != '~' && nr != '=') {
                    throw error(start, "unexpected character after '!' inside braces: " + GoText.quoteRune(nr));
                }
                return operator(start);
            }
            case '{':
                throw error(start, "unexpected left brace " + GoText.quoteRune(c));
            case '}':
                insideBraces = false;
                return punct(start);
            default:
                break;
        }
        if (isAlpha(c)) {
            // Inside braces keywords are plain label names, and ':' is not allowed.
            while (isAlphaNumeric(peek())) {
                advance();
            }
            return new Token(Kind.IDENTIFIER, start, input.substring(start, pos), null);
        }
        throw error(start, "unexpected character inside braces: " + GoText.quoteRune(c));
    }

    /** A quoted string with Go escapes; {@code \x} and octal escapes are raw bytes, as in Go. */
    private Token lexString(int start, int quote) {
        var bytes = new ByteArrayOutputStream();
        while (true) {
            int c = advance();
            if (c == EOF || c == '\n') {
                throw error(start, "unterminated quoted string");
            }
            if (c == quote) {
                break;
            }
            if (isInvalidRune(c)) {
                throw error(start, "invalid UTF-8 rune");
            }
            if (c == '\\') {
                lexEscape(start, quote, bytes);
            } else {
                writeUtf8(bytes, c);
            }
        }
        return new Token(Kind.STRING, start, input.substring(start, pos), bytes.toString(StandardCharsets.UTF_8));
    }

    private void lexEscape(int start, int quote, ByteArrayOutputStream out) {
        int ch = advance();
        int n;
        int base;
        int max;
        switch (ch) {
            case 'a' -> { out.write(0x07); return; }
            case 'b' -> { out.write('\b'); return; }
            case 'f' -> { out.write('\f'); return; }
            case 'n' -> { out.write('\n'); return; }
            case 'r' -> { out.write('\r'); return; }
            case 't' -> { out.write('\t'); return; }
            case 'v' -> { out.write(0x0B); return; }
            case '\\' -> { out.write('\\'); return; }
            case '0', '1', '2', '3', '4', '5', '6', '7' -> { n = 3; base = 8; max = 255; }
            case 'x' -> { ch = advance(); n = 2; base = 16; max = 255; }
            case 'u' -> { ch = advance(); n = 4; base = 16; max = Character.MAX_CODE_POINT; }
            case 'U' -> { ch = advance(); n = 8; base = 16; max = Character.MAX_CODE_POINT; }
            case EOF -> throw error(start, "escape sequence not terminated");
            default -> {
                if (ch == quote) {
                    writeUtf8(out, ch);
                    return;
                }
                throw error(start, "unknown escape sequence " + GoText.runeU(ch));
            }
        }
        long x = 0;
        boolean isByte = base == 8 || n == 2;
        while (n > 0) {
            int d = digitVal(ch);
            if (d >= base) {
                if (ch == EOF) {
                    throw error(start, "escape sequence not terminated");
                }
                throw error(start, "illegal character " + GoText.runeU(ch) + " in escape sequence");
            }
            x = x * base + d;
            n--;
            if (n > 0) {
                ch = advance();
            }
        }
        if (x > max || (x >= 0xD800 && x < 0xE000)) {
            throw error(start, "escape sequence is an invalid Unicode code point");
        }
        if (isByte) {
            out.write((int) x);
        } else {
            writeUtf8(out, (int) x);
        }
    }

    private Token lexRawString(int start) {
        while (true) {
            int c = advance();
            if (c == EOF) {
                throw error(start, "unterminated raw string");
            }
            if (c == '`') {
                break;
            }
            if (isInvalidRune(c)) {
                throw error(start, "invalid UTF-8 rune");
            }
        }
        return new Token(Kind.STRING, start, input.substring(start, pos), input.substring(start + 1, pos - 1));
    }

    private void skipSpacesAndComments() {
        while (pos < input.length()) {
            char c = input.charAt(pos);
            if (isSpace(c)) {
                pos++;
            } else if (c == '#') {
                while (pos < input.length() && input.charAt(pos) != '\n' && input.charAt(pos) != '\r') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private Token punct(int start) {
        return new Token(Kind.PUNCT, start, input.substring(start, pos), null);
    }

    private Token operator(int start) {
        return new Token(Kind.OPERATOR, start, input.substring(start, pos), null);
    }

    private int advance() {
        if (pos >= input.length()) {
            return EOF;
        }
        int c = input.codePointAt(pos);
        pos += Character.charCount(c);
        return c;
    }

    private int peek() {
        return pos >= input.length() ? EOF : input.codePointAt(pos);
    }

    PromQlParseException error(int at, String message) {
        return new PromQlParseException(input, at, message, false);
    }

    private static void writeUtf8(ByteArrayOutputStream out, int cp) {
        out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
    }

    // Go decodes both invalid UTF-8 and a literal U+FFFD as utf8.RuneError; a lone surrogate is Java's equivalent.
    private static boolean isInvalidRune(int c) {
        return c == 0xFFFD || (c >= 0xD800 && c < 0xE000);
    }

    private static int digitVal(int ch) {
        if (ch >= '0' && ch <= '9') {
            return ch - '0';
        }
        if (ch >= 'a' && ch <= 'f') {
            return ch - 'a' + 10;
        }
        if (ch >= 'A' && ch <= 'F') {
            return ch - 'A' + 10;
        }
        return 16;
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private static boolean isAlpha(int c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlphaNumeric(int c) {
        return isAlpha(c) || isDigit(c);
    }
}
