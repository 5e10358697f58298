package io.vigil.logs.fingerprint;

/**
 * The middle of pt's fingerprint (quoted strings through lower-casing) as plain loops, one loop per Perl
 * substitution and in the same order, so each loop can be checked against its regex on its own. It is only
 * used for statements without the constructs whose regexes are hard to mirror ({@link #applies}); the rest
 * takes the regex port. {@code FastPathTest} compares both on the corpus and on random statements.
 */
final class FastPath {

    private FastPath() {
    }

    /**
     * Whether the loops give exactly the regex result: no comments, double quotes or backslashes (escaped
     * quotes), no control characters other than tab and newline, and not one of the early-return forms.
     */
    static boolean applies(String q) {
        for (int i = 0; i < q.length(); i++) {
            char c = q.charAt(i);
            if (c == '"' || c == '\\' || c == '#' || (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
                return false;
            }
            if ((c == '-' || c == '*') && i > 0 && (q.charAt(i - 1) == '-' || q.charAt(i - 1) == '/')) {
                return false; // "--" or "/*"
            }
        }
        int start = 0;
        while (start < q.length() && Character.isWhitespace(q.charAt(start))) {
            start++;
        }
        return !q.startsWith("administrator command: ") && !q.regionMatches(true, start, "call", 0, 4)
                && !q.regionMatches(true, 0, "use ", 0, 4);
    }

    /** {@code s/'.*?'/?/sg}. */
    static String singleQuoted(String s) {
        int q = s.indexOf('\'');
        if (q < 0) {
            return s;
        }
        var out = new StringBuilder(s.length()).append(s, 0, q);
        int i = q;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\'') {
                int close = s.indexOf('\'', i + 1);
                if (close < 0) {
                    out.append(s, i, s.length());
                    break;
                }
                out.append('?');
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** {@code s/\bfalse\b|\btrue\b/?/isg}: a whole word, any case. */
    static String booleans(String s) {
        return replaceWords(s, "true", "false");
    }

    /** {@code s/\bnull\b/?/g} on lower-cased text. */
    static String nulls(String s) {
        return s.contains("null") ? replaceWords(s, "null", null) : s;
    }

    private static String replaceWords(String s, String a, String b) {
        StringBuilder out = null;
        int i = 0;
        int copied = 0;
        while (i < s.length()) {
            if (!isWord(s.charAt(i))) {
                i++;
                continue;
            }
            int end = i;
            while (end < s.length() && isWord(s.charAt(end))) {
                end++;
            }
            int len = end - i;
            if ((len == a.length() && s.regionMatches(true, i, a, 0, len))
                    || (b != null && len == b.length() && s.regionMatches(true, i, b, 0, len))) {
                if (out == null) {
                    out = new StringBuilder(s.length());
                }
                out.append(s, copied, i).append('?');
                copied = end;
            }
            i = end;
        }
        return out == null ? s : out.append(s, copied, s.length()).toString();
    }

    /** {@code s/\b0[xX][0-9a-fA-F]+/?/g}. */
    static String upperHex(String s) {
        StringBuilder out = null;
        int copied = 0;
        for (int i = 0; i + 2 < s.length(); i++) {
            if (s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X') && isHex(s.charAt(i + 2))
                    && (i == 0 || !isWord(s.charAt(i - 1)))) {
                int end = i + 2;
                while (end < s.length() && isHex(s.charAt(end))) {
                    end++;
                }
                if (out == null) {
                    out = new StringBuilder(s.length());
                }
                out.append(s, copied, i).append('?');
                copied = end;
                i = end - 1;
            }
        }
        return out == null ? s : out.append(s, copied, s.length()).toString();
    }

    /**
     * {@code s/[0-9+-][0-9a-f.xb+-]*&#47;?/g}, or with {@code notInWord} pt's {@code --match-embedded-numbers}
     * variant {@code s/\b[0-9+-][0-9a-f.xb+-]*&#47;?/g}.
     */
    static String numbers(String s, boolean notInWord) {
        var out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            boolean start = (c >= '0' && c <= '9') || c == '+' || c == '-';
            if (start && notInWord) {
                boolean before = i > 0 && isWord(s.charAt(i - 1));
                start = isWord(c) != before; // \b: a word/non-word change
            }
            if (!start) {
                out.append(c);
                i++;
                continue;
            }
            i++;
            while (i < s.length() && isNumberTail(s.charAt(i))) {
                i++;
            }
            out.append('?');
        }
        return out.toString();
    }

    /** {@code s/[xb.+-]\?/?/g}. */
    static String leftovers(String s) {
        StringBuilder out = null;
        int copied = 0;
        for (int i = 0; i + 1 < s.length(); i++) {
            char c = s.charAt(i);
            if ((c == 'x' || c == 'b' || c == '.' || c == '+' || c == '-') && s.charAt(i + 1) == '?') {
                if (out == null) {
                    out = new StringBuilder(s.length());
                }
                out.append(s, copied, i).append('?');
                copied = i + 2;
                i++;
            }
        }
        return out == null ? s : out.append(s, copied, s.length()).toString();
    }

    /** {@code s/\A\s+//}; only tab, newline and space can occur here (see {@link #applies}). */
    static String stripLeading(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n')) {
            i++;
        }
        return i == 0 ? s : s.substring(i);
    }

    private static boolean isWord(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isNumberTail(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '.' || c == 'x' || c == 'b' || c == '+'
                || c == '-';
    }

    /**
     * {@code s/\b(in|values?)(?:[\s,]*\([\s?,]*\))+/$1(?+)/gx}. Each repetition is deterministic (neither
     * class contains a parenthesis), so a greedy scan needs no backtracking.
     */
    static String inLists(String s) {
        StringBuilder out = null;
        int copied = 0;
        for (int i = 0; i < s.length(); i++) {
            if (i > 0 && isWord(s.charAt(i - 1))) {
                continue;
            }
            int wordEnd;
            if (s.startsWith("in", i)) {
                wordEnd = i + 2;
            } else if (s.startsWith("value", i)) {
                wordEnd = i + 5;
                int withS = s.startsWith("s", wordEnd) ? lists(s, wordEnd + 1) : -1;
                if (withS >= 0) {
                    wordEnd++;
                }
            } else {
                continue;
            }
            int end = lists(s, wordEnd);
            if (end < 0) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(s.length());
            }
            out.append(s, copied, wordEnd).append("(?+)");
            copied = end;
            i = end - 1;
        }
        return out == null ? s : out.append(s, copied, s.length()).toString();
    }

    /** End of {@code (?:[\s,]*\([\s?,]*\))+} starting at {@code i}, or -1. */
    private static int lists(String s, int i) {
        int end = -1;
        while (true) {
            int j = i;
            while (j < s.length() && (isSpace(s.charAt(j)) || s.charAt(j) == ',')) {
                j++;
            }
            if (j >= s.length() || s.charAt(j) != '(') {
                return end;
            }
            j++;
            while (j < s.length() && (isSpace(s.charAt(j)) || s.charAt(j) == ',' || s.charAt(j) == '?')) {
                j++;
            }
            if (j >= s.length() || s.charAt(j) != ')') {
                return end;
            }
            end = j + 1;
            i = end;
        }
    }

    /** Java's and Perl's ASCII {@code \s}. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }
}
