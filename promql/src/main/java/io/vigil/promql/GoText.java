package io.vigil.promql;

/**
 * Go's {@code %q} and {@code %#U} formatting, so Vigil's PromQL and parameter errors read exactly
 * like Prometheus' (clients and people compare them).
 */
public final class GoText {

    private GoText() {
    }

    /** Go's {@code strconv.Quote}: a double-quoted literal, non-printable runes escaped. */
    public static String quote(String s) {
        var sb = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(cp -> appendEscaped(sb, cp, '"'));
        return sb.append('"').toString();
    }

    /** Go's {@code %.Nq}: the first {@code maxRunes} runes quoted. */
    public static String quote(String s, int maxRunes) {
        int cps = s.codePointCount(0, s.length());
        return cps <= maxRunes ? quote(s) : quote(s.substring(0, s.offsetByCodePoints(0, maxRunes)));
    }

    /** Go's {@code %q} of a rune: {@code '~'}, {@code '\n'}, {@code '\u00a0'}. */
    public static String quoteRune(int cp) {
        if (cp < 0 || cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp < 0xE000)) {
            cp = 0xFFFD; // Go prints invalid runes (and EOF, -1) as the replacement character
        }
        var sb = new StringBuilder("'");
        appendEscaped(sb, cp, '\'');
        return sb.append('\'').toString();
    }

    /** Go's {@code %#U}: {@code U+0071 'q'}, or just {@code U+000A} when not printable. */
    public static String runeU(int cp) {
        String hex = String.format("U+%04X", cp);
        return isPrint(cp) ? hex + " '" + new String(Character.toChars(cp)) + "'" : hex;
    }

    private static void appendEscaped(StringBuilder sb, int cp, char quote) {
        if (cp == quote || cp == '\\') {
            sb.append('\\').appendCodePoint(cp);
            return;
        }
        if (isPrint(cp)) {
            sb.appendCodePoint(cp);
            return;
        }
        switch (cp) {
            case 0x07 -> sb.append("\\a");
            case '\b' -> sb.append("\\b");
            case '\f' -> sb.append("\\f");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case 0x0B -> sb.append("\\v");
            default -> {
                if (cp < ' ' || cp == 0x7F) {
                    sb.append(String.format("\\x%02x", cp));
                } else if (cp < 0x10000) {
                    sb.append(String.format("\\u%04x", cp));
                } else {
                    sb.append(String.format("\\U%08x", cp));
                }
            }
        }
    }

    /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    public static boolean isPrint(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.UNASSIGNED, Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE,
                 Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }
}
