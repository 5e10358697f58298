package io.vigil.notifier.routing;

import io.vigil.model.LabelMatcher;
import io.vigil.model.Labels;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Label matchers written as in Alertmanager's {@code matchers}: {@code severity="severe"},
 * {@code cluster=~"pay-.*"}, {@code instance!=""}; the value may be bare when it has no spaces or
 * quotes. An alert matches a list when it matches every matcher (an empty list matches all).
 */
public final class Matchers {

    private static final Pattern MATCHER = Pattern.compile(
            "\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[^\\s\"]*)\\s*");

    private Matchers() {
    }

    /** @throws IllegalArgumentException naming the text and what is wrong with it */
    public static LabelMatcher parse(String text) {
        Matcher m = MATCHER.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a label matcher: '" + text + "' (expected name=\"value\", name!=\"value\","
                    + " name=~\"regex\" or name!~\"regex\")");
        }
        String value = m.group(3);
        if (value.startsWith("\"")) {
            value = unquote(value.substring(1, value.length() - 1));
        }
        LabelMatcher.Op op = switch (m.group(2)) {
            case "=" -> LabelMatcher.Op.EQ;
            case "!=" -> LabelMatcher.Op.NEQ;
            case "=~" -> LabelMatcher.Op.RE;
            default -> LabelMatcher.Op.NRE;
        };
        return LabelMatcher.of(m.group(1), op, value);
    }

    public static List<LabelMatcher> parseAll(List<String> texts) {
        var out = new ArrayList<LabelMatcher>(texts.size());
        for (String t : texts) {
            out.add(parse(t));
        }
        return List.copyOf(out);
    }

    public static boolean matchAll(List<LabelMatcher> matchers, Labels labels) {
        for (LabelMatcher m : matchers) {
            if (!m.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    private static String unquote(String s) {
        var b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> n;
                });
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
