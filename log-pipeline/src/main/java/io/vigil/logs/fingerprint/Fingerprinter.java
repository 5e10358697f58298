package io.vigil.logs.fingerprint;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A port of percona-toolkit 3.2.1's {@code QueryRewriter::fingerprint} (as embedded in
 * {@code /usr/bin/pt-query-digest}), step by step and in the same order, so that Vigil's classes and query ids
 * match pt-query-digest's. Perl regex semantics are kept: {@link Pattern#UNIX_LINES} makes {@code .} and
 * {@code \Z} treat only {@code \n} as a line end like Perl, and the default ASCII-only {@code \s}, {@code \w},
 * {@code \b} and case folding match Perl on byte strings (pt reads the log as bytes). Text is only ever
 * matched, never interpreted.
 *
 * <p>Thread-safe: patterns are immutable, matchers are per call.
 */
public final class Fingerprinter {

    private static final int U = Pattern.UNIX_LINES;
    private static final int I = Pattern.CASE_INSENSITIVE;
    private static final int S = Pattern.DOTALL;

    private static final Pattern MYSQLDUMP = Pattern.compile("\\ASELECT /\\*!40001 SQL_NO_CACHE \\*/ \\* FROM `", U);
    private static final Pattern PT_TOOL = Pattern.compile("/\\*\\w+\\.\\w+:[0-9]/[0-9]\\*/", U);
    private static final Pattern CALL = Pattern.compile("\\A\\s*(call\\s+\\S+)\\(", U | I);
    private static final Pattern MULTI_ROW_INSERT = Pattern.compile(
            "\\A((?:INSERT|REPLACE)(?: IGNORE)?\\s+INTO.+?VALUES\\s*\\(.*?\\))\\s*,\\s*\\(", U | I | S);
    private static final Pattern ON_DUPLICATE = Pattern.compile("\\bON\\s+DUPLICATE\\s+KEY\\s+UPDATE\\b", U | I);
    private static final Pattern MULTI_LINE_COMMENT = Pattern.compile("/\\*[^!].*?\\*/", U | S | Pattern.MULTILINE);
    private static final Pattern ONE_LINE_COMMENT = Pattern.compile("(?:--|#)[^'\"\\r\\n]*(?=[\\r\\n]|\\Z)", U);
    private static final Pattern USE = Pattern.compile("\\Ause \\S+\\Z", U | I);
    private static final Pattern ESCAPED_QUOTE = Pattern.compile("\\\\[\"']", U);
    private static final Pattern DOUBLE_QUOTED = Pattern.compile("\".*?\"", U | S);
    private static final Pattern SINGLE_QUOTED = Pattern.compile("'.*?'", U | S);
    private static final Pattern BOOLEAN = Pattern.compile("\\bfalse\\b|\\btrue\\b", U | I | S);
    private static final Pattern UPPER_HEX = Pattern.compile("\\b0[xX][0-9a-fA-F]+", U);
    private static final Pattern NUMBER = Pattern.compile("[0-9+-][0-9a-f.xb+-]*", U);
    private static final Pattern NUMBER_NOT_IN_WORD = Pattern.compile("\\b[0-9+-][0-9a-f.xb+-]*", U);
    private static final Pattern NUMBER_LEFTOVER = Pattern.compile("[xb.+-]\\?", U);
    private static final Pattern LEADING_SPACE = Pattern.compile("\\A\\s+", U);
    private static final Pattern NULL = Pattern.compile("\\bnull\\b", U);
    private static final Pattern IN_LIST = Pattern.compile("\\b(in|values?)(?:[\\s,]*\\([\\s?,]*\\))+", U);
    private static final Pattern UNION = Pattern.compile("\\b(select\\s.*?)(?:(\\sunion(?:\\sall)?)\\s\\1)+", U);
    private static final Pattern LIMIT = Pattern.compile("\\blimit \\?(?:, ?\\?| offset \\?)?", U);
    private static final Pattern ORDER_BY = Pattern.compile("\\bORDER BY ", U | I);
    private static final Pattern ASC = Pattern.compile("(.+?)\\s+ASC", U | I);

    private final FingerprintOptions options;

    public Fingerprinter(FingerprintOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public FingerprintOptions options() {
        return options;
    }

    public String fingerprint(String query) {
        return fingerprint(query, FastPath.applies(query));
    }

    /** The regex port for every statement; tests compare it with the fast path. */
    String regexFingerprint(String query) {
        return fingerprint(query, false);
    }

    private String fingerprint(String query, boolean fast) {
        if (!fast) {
            if (MYSQLDUMP.matcher(query).lookingAt()) {
                return "mysqldump";
            }
            if (PT_TOOL.matcher(query).find()) {
                return "percona-toolkit";
            }
            if (query.startsWith("administrator command: ")) {
                return query;
            }
            var call = CALL.matcher(query);
            if (call.lookingAt()) {
                return lowerAscii(call.group(1));
            }
        }
        if ((query.regionMatches(true, 0, "INSERT", 0, 6) || query.regionMatches(true, 0, "REPLACE", 0, 7))
                && hasSecondRow(query)) {
            var insert = MULTI_ROW_INSERT.matcher(query);
            if (insert.lookingAt()) {
                // pt drops the other rows early: they can be megabytes (mysqldump) and are literals anyway.
                String tail = "";
                if (options.keepOnDuplicateKey()) {
                    var odku = ON_DUPLICATE.matcher(query);
                    if (odku.find(insert.end())) {
                        tail = " " + query.substring(odku.start());
                    }
                }
                query = insert.group(1) + tail;
            }
        }

        if (fast) {
            // FastPath.applies ruled out comments, double quotes, backslashes and "use": those steps are no-ops
            query = FastPath.singleQuoted(query);
            if (options.foldBooleans()) {
                query = FastPath.booleans(query);
            }
            if (options.foldUpperCaseHex()) {
                query = FastPath.upperHex(query);
            }
            query = FastPath.numbers(query, options.keepIdentifierDigits());
            query = FastPath.leftovers(query);
            query = FastPath.stripLeading(query);
        } else {
            query = MULTI_LINE_COMMENT.matcher(query).replaceAll("");
            query = ONE_LINE_COMMENT.matcher(query).replaceAll("");
            var use = USE.matcher(query);
            if (use.find()) {
                return use.replaceFirst("use ?");
            }
            query = ESCAPED_QUOTE.matcher(query).replaceAll("");
            query = DOUBLE_QUOTED.matcher(query).replaceAll("?");
            query = SINGLE_QUOTED.matcher(query).replaceAll("?");
            if (options.foldBooleans()) {
                query = BOOLEAN.matcher(query).replaceAll("?");
            }
            if (options.foldUpperCaseHex()) {
                query = UPPER_HEX.matcher(query).replaceAll("?");
            }
            query = (options.keepIdentifierDigits() ? NUMBER_NOT_IN_WORD : NUMBER).matcher(query).replaceAll("?");
            query = NUMBER_LEFTOVER.matcher(query).replaceAll("?");
            query = LEADING_SPACE.matcher(query).replaceFirst("");
        }
        if (query.endsWith("\n")) { // chomp: one trailing newline, nothing else
            query = query.substring(0, query.length() - 1);
        }
        query = lowerAscii(collapseWhitespace(query));
        // Each guard below only skips a substitution that cannot match.
        query = fast ? FastPath.nulls(query) : NULL.matcher(query).replaceAll("?");
        if (fast) {
            query = FastPath.inLists(query);
        } else if (mayHaveList(query)) {
            query = IN_LIST.matcher(query).replaceAll("$1(?+)");
        }
        if (query.contains("union")) {
            query = UNION.matcher(query).replaceAll("$1 /*repeat$2*/");
        }
        if (query.contains("limit ?")) {
            query = LIMIT.matcher(query).replaceFirst("limit ?");
        }
        return query.contains("order by ") && indexOfIgnoreCase(query, "asc", query.indexOf("order by ")) >= 0
                ? dropAscInOrderBy(query) : query;
    }

    /** Whether {@code )\s*,\s*(} occurs: without it the multi-row insert pattern cannot match. */
    private static boolean hasSecondRow(String q) {
        for (int i = q.indexOf(')'); i >= 0; i = q.indexOf(')', i + 1)) {
            int j = skipSpace(q, i + 1);
            if (j < q.length() && q.charAt(j) == ',') {
                j = skipSpace(q, j + 1);
                if (j < q.length() && q.charAt(j) == '(') {
                    return true;
                }
            }
        }
        return false;
    }

    private static int skipSpace(String q, int i) {
        while (i < q.length() && Character.isWhitespace(q.charAt(i)) && q.charAt(i) < 0x80) {
            i++;
        }
        return i;
    }

    /**
     * Whether some {@code (} has {@code in}, {@code value} or {@code values} as a whole word before it, with only
     * whitespace and commas between: without one the IN/VALUES pattern cannot match.
     */
    private static boolean mayHaveList(String q) {
        for (int i = q.indexOf('('); i >= 0; i = q.indexOf('(', i + 1)) {
            int end = i;
            while (end > 0 && (q.charAt(end - 1) == ',' || (q.charAt(end - 1) < 0x80
                    && Character.isWhitespace(q.charAt(end - 1))))) {
                end--;
            }
            int start = end;
            while (start > 0 && isWord(q.charAt(start - 1))) {
                start--;
            }
            String word = q.substring(start, end);
            if (word.equals("in") || word.equals("value") || word.equals("values")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isWord(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    /**
     * Perl's {@code if (m/\bORDER BY /gi) { 1 while s/\G(.+?)\s+ASC/$1/gi && pos }}: from the end of the first
     * ORDER BY, removes a chain of "… ASC" pieces that follow each other directly. The substitution resets
     * {@code pos}, so the loop body runs once.
     */
    private static String dropAscInOrderBy(String query) {
        var orderBy = ORDER_BY.matcher(query);
        if (!orderBy.find()) {
            return query;
        }
        int pos = orderBy.end();
        if (indexOfIgnoreCase(query, "asc", pos) < 0) {
            return query;
        }
        var asc = ASC.matcher(query);
        StringBuilder out = null;
        while (pos < query.length()) {
            asc.region(pos, query.length());
            if (!asc.lookingAt()) {
                break;
            }
            if (out == null) {
                out = new StringBuilder(query.length()).append(query, 0, pos);
            }
            out.append(query, asc.start(1), asc.end(1));
            pos = asc.end();
        }
        return out == null ? query : out.append(query, pos, query.length()).toString();
    }

    private static int indexOfIgnoreCase(String s, String needle, int from) {
        for (int i = from; i <= s.length() - needle.length(); i++) {
            if (s.regionMatches(true, i, needle, 0, needle.length())) {
                return i;
            }
        }
        return -1;
    }

    /** Perl's {@code tr[ \n\t\r\f][ ]s}: each run of those five characters becomes one space. */
    static String collapseWhitespace(String s) {
        StringBuilder out = null;
        boolean inRun = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ws = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
            if (ws && (inRun || c != ' ') && out == null) {
                out = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (out != null && !(ws && inRun)) {
                out.append(ws ? ' ' : c);
            }
            inRun = ws;
        }
        return out == null ? s : out.toString();
    }

    /** Perl's {@code lc} on a byte string: only A–Z change. */
    static String lowerAscii(String s) {
        int i = 0;
        while (i < s.length() && !(s.charAt(i) >= 'A' && s.charAt(i) <= 'Z')) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        char[] chars = s.toCharArray();
        for (; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') {
                chars[i] = (char) (chars[i] + 32);
            }
        }
        return new String(chars);
    }
}
