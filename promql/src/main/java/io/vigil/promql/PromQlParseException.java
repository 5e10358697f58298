package io.vigil.promql;

import java.nio.charset.StandardCharsets;

/**
 * A query Vigil cannot evaluate, worded like Prometheus' {@code ParseErr}:
 * {@code 1:14: parse error: unexpected character inside braces: '~'}. Line and column are computed
 * the Prometheus way (the column counts UTF-8 bytes) so positions match what users see there.
 */
public class PromQlParseException extends RuntimeException {

    private final int line;
    private final int column;
    private final String detail;
    private final boolean unsupported;

    PromQlParseException(String query, int charIndex, String detail, boolean unsupported) {
        this(lineAndColumn(query, charIndex), detail, unsupported);
    }

    private PromQlParseException(int[] lineAndColumn, String detail, boolean unsupported) {
        super(lineAndColumn[0] + ":" + lineAndColumn[1] + ": parse error: " + detail);
        this.line = lineAndColumn[0];
        this.column = lineAndColumn[1];
        this.detail = detail;
        this.unsupported = unsupported;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The message without the position. */
    public String detail() {
        return detail;
    }

    /** True when the query may be valid PromQL but uses a feature Vigil does not evaluate yet. */
    public boolean unsupported() {
        return unsupported;
    }

    private static int[] lineAndColumn(String query, int charIndex) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < charIndex; i++) {
            if (query.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int bytesIntoLine = query.substring(lineStart, charIndex).getBytes(StandardCharsets.UTF_8).length;
        return new int[] {line, bytesIntoLine + 1};
    }
}
