package io.vigil.collector.logs;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a server's {@code DIGEST_TEXT} back into SQL as people write it, so that its fingerprint meets the
 * slow-log fingerprint of the same statement: the server quotes every identifier and spaces every token
 * ({@code SELECT COUNT ( * ) FROM `db` . `t` WHERE `id` = ?}), which the fingerprint would keep. Best effort:
 * what the server rewrote ({@code <>} as {@code !=}) stays rewritten.
 */
final class DigestText {

    private static final Pattern QUOTED_NAME = Pattern.compile("`([A-Za-z0-9_$]+)`");
    private static final Pattern CALL = Pattern.compile("\\b([A-Za-z_][A-Za-z0-9_]*) \\(");
    /** Words before a parenthesis that are not function names: the space after them stays. */
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "in", "values", "value", "on", "using", "as",
            "where", "from", "join", "exists", "select", "into", "set", "when", "then", "else", "by", "having", "union",
            "all", "any", "some", "like", "is", "between", "case", "table", "over", "xor", "limit", "return", "returns");

    private DigestText() {
    }

    static String asQuery(String digestText) {
        String s = QUOTED_NAME.matcher(digestText).replaceAll("$1");
        s = s.replace(" . ", ".").replace("( ", "(").replace(" )", ")").replace(" ,", ",");
        s = s.replace("(...)", "(?)"); // MySQL 8 shortens lists
        Matcher m = CALL.matcher(s);
        var out = new StringBuilder();
        while (m.find()) {
            String word = m.group(1);
            m.appendReplacement(out, Matcher.quoteReplacement(
                    KEYWORDS.contains(word.toLowerCase(Locale.ROOT)) ? word + " (" : word + "("));
        }
        m.appendTail(out);
        return out.toString().strip();
    }
}
