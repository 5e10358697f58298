package io.vigil.notifier;

/**
 * Fits a text into one SMS segment: 160 GSM-7 septets, or 70 UCS-2 code units as soon as one
 * character is outside GSM-7 (any Chinese). Pages should be one segment: multi-part SMS arrive out
 * of order or partially on some networks, and cost more.
 */
final class SmsText {

    static final int GSM7_SEGMENT = 160;
    static final int UCS2_SEGMENT = 70;

    private static final String GSM7_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    /** Extension table: each costs an escape plus the character, two septets. */
    private static final String GSM7_EXTENSION = "^{}\\[~]|€\f";

    private SmsText() {
    }

    static boolean isGsm7(String s) {
        return s.codePoints().allMatch(cp -> cp < 0x10000 && septets((char) cp) > 0);
    }

    /** 1 or 2 for GSM-7 characters, 0 for characters GSM-7 cannot carry. */
    static int septets(char c) {
        if (GSM7_BASIC.indexOf(c) >= 0) {
            return 1;
        }
        return GSM7_EXTENSION.indexOf(c) >= 0 ? 2 : 0;
    }

    /**
     * The text, cut to one segment when longer. A GSM-7 text ends with "..." because "…" is not in
     * GSM-7 and would switch the whole message to UCS-2 (70 characters); a UCS-2 text ends with "…".
     * Cuts happen between code points, so neither a surrogate pair nor a multi-byte character is split.
     */
    static String fit(String text) {
        if (isGsm7(text)) {
            int total = 0;
            for (int i = 0; i < text.length(); i++) {
                total += septets(text.charAt(i));
            }
            if (total <= GSM7_SEGMENT) {
                return text;
            }
            int budget = GSM7_SEGMENT - 3;
            int used = 0;
            int end = 0;
            while (end < text.length() && used + septets(text.charAt(end)) <= budget) {
                used += septets(text.charAt(end));
                end++;
            }
            return text.substring(0, end) + "...";
        }
        if (text.length() <= UCS2_SEGMENT) {
            return text;
        }
        int budget = UCS2_SEGMENT - 1;
        int end = 0;
        while (end < text.length()) {
            int next = end + Character.charCount(text.codePointAt(end));
            if (next > budget) {
                break;
            }
            end = next;
        }
        return text.substring(0, end) + TextLimits.ELLIPSIS;
    }
}
