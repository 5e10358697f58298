package io.vigil.logs.slowlog;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream at {@code \n} without decoding it, so invalid UTF-8 or binary bytes cannot stop it. A
 * line longer than {@code maxLine} is delivered in pieces of that size with {@link #continued()} set on all but
 * the first, so one absurd line costs bounded memory.
 */
final class LineReader {

    private final InputStream in;
    private final int maxLine;
    private static final int MAX_INITIAL_BUFFER = 1 << 20;
    private static final int MIN_INITIAL_BUFFER = 4 << 10;

    private byte[] buf;
    private int start;
    private int limit;
    private boolean eof;
    private long bufferOffset; // file offset of buf[0]

    // the current line
    int lineStart;
    int lineEnd; // exclusive, without the \n
    private boolean continued;
    private boolean nextContinued;

    LineReader(InputStream in, int maxLine) throws IOException {
        this.in = in;
        this.maxLine = maxLine;
        // A file says how much is left and gets large reads; the shipper's few kilobytes of framed entries get a
        // buffer their size, not a megabyte at every poll. The buffer grows for longer lines either way.
        this.buf = new byte[Math.clamp(in.available() + 1L, MIN_INITIAL_BUFFER, MAX_INITIAL_BUFFER)];
    }

    /** Lines of {@code bytes[0..length)}, read in place: bytes already in memory are not copied. Never changes them. */
    LineReader(byte[] bytes, int length, int maxLine) {
        this.in = null;
        this.maxLine = maxLine;
        this.buf = bytes;
        this.limit = length;
        this.eof = true;
    }

    byte[] buffer() {
        return buf;
    }

    long lineOffset() {
        return bufferOffset + lineStart;
    }

    long bytesRead() {
        return bufferOffset + limit;
    }

    /** Whether this line is the rest of an over-long line. */
    boolean continued() {
        return continued;
    }

    boolean next() throws IOException {
        int scanFrom = start;
        while (true) {
            for (int i = scanFrom; i < limit; i++) {
                if (buf[i] == '\n') {
                    return deliver(i, i + 1);
                }
            }
            if (limit - start >= maxLine) {
                return deliver(start + maxLine, start + maxLine, true);
            }
            if (eof) {
                return start < limit && deliver(limit, limit);
            }
            int scanned = limit - start;
            fill();
            scanFrom = start + scanned;
        }
    }

    private boolean deliver(int end, int nextStart) {
        return deliver(end, nextStart, false);
    }

    private boolean deliver(int end, int nextStart, boolean split) {
        lineStart = start;
        lineEnd = end;
        continued = nextContinued;
        nextContinued = split;
        start = nextStart;
        return true;
    }

    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, limit - start);
            bufferOffset += start;
            limit -= start;
            start = 0;
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, Math.min(Math.max(buf.length * 2, 1), Integer.MAX_VALUE - 16));
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }
}
