package io.vigil.collector.logs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Slow-log entries as MariaDB 10.11 writes them, numbered so that every one can be counted. */
final class SlowLogLines {

    private SlowLogLines() {
    }

    static String entry(int n) {
        return entry(n, "SELECT c FROM sbtest1 WHERE id = " + n);
    }

    static String entry(int n, String query) {
        return "# User@Host: app[app] @ localhost [127.0.0.1]\n"
                + "# Thread_id: " + (100 + n) + "  Schema: sbtest  QC_hit: No\n"
                + "# Query_time: 0.000" + (100 + n % 800) + "  Lock_time: 0.000010  Rows_sent: 1  Rows_examined: 1\n"
                + "# Rows_affected: 0  Bytes_sent: 75\n"
                + "SET timestamp=" + (1_764_889_200L + n) + ";\n"
                + query + ";\n";
    }

    static String entries(int from, int to) {
        var sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append(entry(i));
        }
        return sb.toString();
    }

    static void append(Path file, String text) throws IOException {
        append(file, text.getBytes(StandardCharsets.UTF_8));
    }

    static void append(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /** The numbers of the entries written by {@link #entry(int)}, in the order shipped. */
    static java.util.List<Integer> numbers(RecordingSink sink) {
        return sink.queries().stream().map(q -> Integer.parseInt(q.substring(q.lastIndexOf(' ') + 1))).toList();
    }
}
