package io.vigil.logs.slowlog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The statement lines of one entry, kept as bytes until the entry is complete. */
final class ByteBuilder {

    private byte[] bytes = new byte[256];
    private int length;

    void clear() {
        length = 0;
        if (bytes.length > 1 << 20) {
            bytes = new byte[256]; // do not pin a huge buffer after one huge statement
        }
    }

    int length() {
        return length;
    }

    void appendLine(byte[] b, int s, int e) {
        int need = length + (length > 0 ? 1 : 0) + (e - s);
        if (need > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(need, bytes.length * 2));
        }
        if (length > 0) {
            bytes[length++] = '\n';
        }
        System.arraycopy(b, s, bytes, length, e - s);
        length += e - s;
    }

    /** The text without the final {@code ;} the server appends, decoded leniently. */
    String statement() {
        int end = length;
        while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == ' ')) {
            end--;
        }
        if (end > 0 && bytes[end - 1] == ';') {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
