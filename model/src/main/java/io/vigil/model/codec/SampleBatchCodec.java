package io.vigil.model.codec;

import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * The Kafka wire format of a {@link SampleBatch}.
 *
 * <pre>
 * magic 'V' (0x56) · version (1) · varint timestamp millis · string target id · labels
 * · varint sample count · per sample: string metric · labels · 8-byte IEEE-754 value (big-endian)
 * labels  = varint count · (string name · string value)*
 * string  = varint byte length · UTF-8 bytes
 * </pre>
 *
 * Target labels travel once per batch, so a plain gauge costs its name plus 10 bytes. The version
 * byte lets a consumer refuse a format it does not know instead of misreading it: producers and
 * consumers of different releases share one topic during a rolling upgrade.
 */
public final class SampleBatchCodec {

    public static final byte MAGIC = 'V';
    public static final byte VERSION = 1;
    /** Refuse absurd lengths before allocating: a corrupt varint must not cost gigabytes. */
    static final int MAX_STRING_BYTES = 64 * 1024;
    static final int MAX_COUNT = 1_000_000;

    private SampleBatchCodec() {
    }

    public static byte[] encode(SampleBatch batch) {
        var out = new Writer(64 + batch.samples().size() * 32);
        out.writeByte(MAGIC);
        out.writeByte(VERSION);
        out.writeVarLong(batch.timestampMillis());
        out.writeString(batch.targetId());
        out.writeLabels(batch.labels());
        out.writeVarLong(batch.samples().size());
        for (Sample s : batch.samples()) {
            out.writeString(s.metric());
            out.writeLabels(s.labels());
            out.writeDouble(s.value());
        }
        return out.toByteArray();
    }

    public static SampleBatch decode(byte[] bytes) {
        if (bytes == null || bytes.length < 2) {
            throw new CodecException("sample batch too short: " + (bytes == null ? "null" : bytes.length + " bytes"));
        }
        if (bytes[0] != MAGIC) {
            throw new CodecException(String.format("not a sample batch: first byte is 0x%02x, expected 0x%02x", bytes[0], MAGIC));
        }
        if (bytes[1] != VERSION) {
            throw new CodecException("sample batch format version " + bytes[1] + " is not supported (this release reads version " + VERSION + ")");
        }
        var in = new Reader(bytes, 2);
        long timestamp = in.readVarLong("timestamp");
        String targetId = in.readString("target id");
        Labels labels = in.readLabels("batch labels");
        int count = in.readCount("sample count");
        var samples = new ArrayList<Sample>(count);
        for (int i = 0; i < count; i++) {
            String metric = in.readString("metric name of sample " + i);
            Labels sampleLabels = in.readLabels("labels of sample " + i);
            double value = in.readDouble("value of sample " + i);
            try {
                samples.add(new Sample(metric, sampleLabels, value));
            } catch (IllegalArgumentException e) {
                throw new CodecException("sample " + i + " is invalid: " + e.getMessage());
            }
        }
        if (in.pos != bytes.length) {
            throw new CodecException((bytes.length - in.pos) + " unexpected trailing bytes after sample " + count);
        }
        return new SampleBatch(targetId, timestamp, labels, samples);
    }

    private static final class Writer {
        private byte[] buf;
        private int len;

        Writer(int capacity) {
            buf = new byte[capacity];
        }

        void ensure(int extra) {
            if (len + extra > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
            }
        }

        void writeByte(int b) {
            ensure(1);
            buf[len++] = (byte) b;
        }

        void writeVarLong(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("negative value cannot be written as an unsigned varint: " + v);
            }
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[len++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[len++] = (byte) v;
        }

        void writeString(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            if (utf8.length > MAX_STRING_BYTES) {
                throw new IllegalArgumentException("string of " + utf8.length + " bytes exceeds the " + MAX_STRING_BYTES + "-byte limit: "
                        + s.substring(0, 40) + "…");
            }
            writeVarLong(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, buf, len, utf8.length);
            len += utf8.length;
        }

        void writeLabels(Labels labels) {
            writeVarLong(labels.size());
            labels.asMap().forEach((name, value) -> {
                writeString(name);
                writeString(value);
            });
        }

        void writeDouble(double d) {
            long bits = Double.doubleToRawLongBits(d);
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buf[len++] = (byte) (bits >>> shift);
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, len);
        }
    }

    private static final class Reader {
        private final byte[] buf;
        private int pos;

        Reader(byte[] buf, int pos) {
            this.buf = buf;
            this.pos = pos;
        }

        private void need(int n, String what) {
            if (pos + n > buf.length) {
                throw new CodecException("truncated sample batch: " + what + " needs " + n + " bytes at offset " + pos
                        + " but only " + (buf.length - pos) + " remain");
            }
        }

        long readVarLong(String what) {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                need(1, what);
                byte b = buf[pos++];
                result |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new CodecException("malformed varint for " + what + " ending at offset " + pos);
        }

        int readCount(String what) {
            int start = pos;
            long n = readVarLong(what);
            if (n > MAX_COUNT) {
                throw new CodecException(what + " " + n + " at offset " + start + " exceeds the limit of " + MAX_COUNT);
            }
            return (int) n;
        }

        String readString(String what) {
            int start = pos;
            long n = readVarLong(what);
            if (n > MAX_STRING_BYTES) {
                throw new CodecException(what + " length " + n + " at offset " + start + " exceeds the limit of " + MAX_STRING_BYTES);
            }
            need((int) n, what);
            String s = new String(buf, pos, (int) n, StandardCharsets.UTF_8);
            pos += (int) n;
            return s;
        }

        Labels readLabels(String what) {
            int n = readCount(what);
            if (n == 0) {
                return Labels.EMPTY;
            }
            var map = new TreeMap<String, String>();
            for (int i = 0; i < n; i++) {
                String name = readString("label name in " + what);
                map.put(name, readString("label value of '" + name + "' in " + what));
            }
            try {
                return Labels.of(map);
            } catch (IllegalArgumentException e) {
                throw new CodecException(what + ": " + e.getMessage());
            }
        }

        double readDouble(String what) {
            need(8, what);
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 8) | (buf[pos++] & 0xFF);
            }
            return Double.longBitsToDouble(bits);
        }
    }
}
