package io.vigil.notifier;

import java.nio.charset.StandardCharsets;

/** Cutting text to provider limits without splitting a UTF-8 sequence or a surrogate pair. */
final class TextLimits {

    static final String ELLIPSIS = "…";

    private TextLimits() {
    }

    /** At most {@code maxBytes} of UTF-8; when cut, ends with "…" (counted in the limit). */
    static String utf8(String s, int maxBytes) {
        if (s.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return s;
        }
        int budget = maxBytes - ELLIPSIS.getBytes(StandardCharsets.UTF_8).length;
        int used = 0;
        int end = 0;
        while (end < s.length()) {
            int cp = s.codePointAt(end);
            int len = utf8Length(cp);
            if (used + len > budget) {
                break;
            }
            used += len;
            end += Character.charCount(cp);
        }
        return s.substring(0, end) + ELLIPSIS;
    }

    static int utf8Length(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
}
