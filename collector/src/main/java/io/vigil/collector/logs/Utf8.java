package io.vigil.collector.logs;

import java.util.Arrays;

/** Byte-level UTF-8 checks for log text, which may hold anything a client sent. */
final class Utf8 {

    private Utf8() {
    }

    /**
     * {@code bytes[0..length)} with every byte that is not part of a well-formed UTF-8 sequence replaced by
     * {@code '?'}; the same array when all is well-formed. Lengths are kept, so byte offsets stay true.
     */
    static byte[] sanitized(byte[] bytes, int length) {
        byte[] out = bytes;
        int i = 0;
        while (i < length) {
            int n = sequenceLength(bytes, i, length);
            if (n > 0) {
                i += n;
                continue;
            }
            if (out == bytes) {
                out = Arrays.copyOf(bytes, length);
            }
            out[i++] = '?';
        }
        return out;
    }

    /** Length of the well-formed sequence at {@code i}, or 0. */
    private static int sequenceLength(byte[] b, int i, int end) {
        int c = b[i] & 0xff;
        if (c < 0x80) {
            return 1;
        }
        int n;
        int min;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 2;
            min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 3;
            min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4;
            min = 0x10000;
        } else {
            return 0;
        }
        if (i + n > end) {
            return 0;
        }
        int cp = c & (0xff >> (n + 1));
        for (int k = 1; k < n; k++) {
            int cc = b[i + k] & 0xff;
            if ((cc & 0xc0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (cc & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return 0;
        }
        return n;
    }
}
