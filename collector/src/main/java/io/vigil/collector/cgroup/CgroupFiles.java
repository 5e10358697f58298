package io.vigil.collector.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Reads cgroup control files. A file that is absent (a controller not mounted, an older kernel, a
 * container that just ended) is "no value", never an error: the metric is simply not emitted.
 */
final class CgroupFiles {

    /** v1 reports "no limit" as a page-aligned number near 2^63. */
    static final double UNLIMITED = Math.pow(2, 62);

    private CgroupFiles() {
    }

    static String read(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** A file holding one number; empty when absent, "max" or unreadable as a number. */
    static OptionalDouble number(Path dir, String file) throws IOException {
        if (dir == null) {
            return OptionalDouble.empty();
        }
        String text = read(dir.resolve(file));
        if (text == null || text.equals("max")) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(Double.parseDouble(text));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    /** "key value" lines (cpu.stat, memory.stat, memory.events, memory.oom_control). */
    static Map<String, Double> keyed(Path dir, String file) throws IOException {
        var out = new HashMap<String, Double>();
        String text = dir == null ? null : read(dir.resolve(file));
        if (text == null) {
            return out;
        }
        for (String line : text.split("\n")) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2) {
                try {
                    out.put(kv[0], Double.parseDouble(kv[1]));
                } catch (NumberFormatException ignored) {
                    // Not a number: not a value we read.
                }
            }
        }
        return out;
    }

    /** v1 blkio.throttle.io_service_bytes: "8:0 Read 1234" lines, summed per operation over the devices. */
    static Map<String, Double> blkioBytes(Path dir) throws IOException {
        var out = new HashMap<String, Double>();
        String text = dir == null ? null : read(dir.resolve("blkio.throttle.io_service_bytes"));
        if (text == null) {
            return out;
        }
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && (f[1].equals("Read") || f[1].equals("Write"))) {
                out.merge(f[1], Double.parseDouble(f[2]), Double::sum);
            }
        }
        return out;
    }

    /** v2 io.stat: "8:0 rbytes=1 wbytes=2 rios=…" lines, summed over the devices. */
    static Map<String, Double> ioStat(Path dir) throws IOException {
        var out = new HashMap<String, Double>();
        String text = dir == null ? null : read(dir.resolve("io.stat"));
        if (text == null) {
            return out;
        }
        for (String line : text.split("\n")) {
            for (String field : line.trim().split("\\s+")) {
                int eq = field.indexOf('=');
                if (eq > 0) {
                    try {
                        out.merge(field.substring(0, eq), Double.parseDouble(field.substring(eq + 1)), Double::sum);
                    } catch (NumberFormatException ignored) {
                        // A device name or a non-numeric field.
                    }
                }
            }
        }
        return out;
    }
}
