package io.vigil.logs.slowlog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Streaming parser for the slow query logs of MySQL 5.7 and 8.x (also with {@code log_slow_extra}), MariaDB
 * 10.x ({@code log_slow_verbosity} up to {@code query_plan,explain}) and Percona Server (extended
 * verbosity). It works on bytes line by line and decodes leniently (invalid UTF-8 becomes U+FFFD), so one
 * bad byte or a huge statement cannot derail it. A malformed entry becomes a {@link ParseError} with source
 * and offset; the parser resynchronises at the next header line, so nothing else is lost.
 *
 * <p>Entries are split where pt-query-digest splits them: a {@code # Time:}, {@code # User@Host:},
 * {@code # Thread_id:}, {@code # Schema:} or {@code # Query_time:} line after statement text starts the next
 * entry. Any other {@code #} line after statement text belongs to the statement (a multi-line query with a
 * comment line).
 */
public final class SlowLogParser {

    public static final int MAX_KEPT_ERRORS = 100;
    /** Longest line kept whole; longer ones make their entry an error (mysqldump-sized inserts fit). */
    public static final int DEFAULT_MAX_LINE = 64 << 20;

    private static final Pattern USER_HOST = Pattern.compile(
            "# User@Host: ([^\\[]+|\\[[^\\[]+\\]).*?@ (\\S*) \\[(.*?)\\]\\s*(?:Id:\\s*(\\d+))?.*");
    private static final Pattern LEGACY_TIME = Pattern.compile("(\\d\\d)(\\d\\d)(\\d\\d)\\s+(\\d{1,2}):(\\d\\d):(\\d\\d)(?:\\.\\d+)?\\s*");

    private final String source;
    private final int maxLine;
    private final boolean keepAttributes;

    public SlowLogParser(String source) {
        this(source, DEFAULT_MAX_LINE);
    }

    public SlowLogParser(String source, int maxLine) {
        this(source, maxLine, true);
    }

    private SlowLogParser(String source, int maxLine, boolean keepAttributes) {
        this.source = source;
        this.maxLine = maxLine;
        this.keepAttributes = keepAttributes;
    }

    /**
     * A parser that leaves {@link SlowLogEntry#attributes()} empty: a digest needs only the fixed fields, and
     * MariaDB's explain rows are half the bytes of a full-verbosity log.
     */
    public SlowLogParser withoutAttributes() {
        return new SlowLogParser(source, maxLine, false);
    }

    public static ParseStats parse(Path file, Consumer<SlowLogEntry> sink) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return new SlowLogParser(file.toString()).parse(in, sink);
        }
    }

    public ParseStats parse(InputStream in, Consumer<SlowLogEntry> sink) throws IOException {
        return parse(new LineReader(in, maxLine), sink);
    }

    /** Parses {@code bytes[0..length)} where they are (a shipper's read), without copying them. */
    public ParseStats parse(byte[] bytes, int length, Consumer<SlowLogEntry> sink) {
        try {
            return parse(new LineReader(bytes, length, maxLine), sink);
        } catch (IOException e) {
            throw new UncheckedIOException("reading bytes from memory cannot fail", e);
        }
    }

    private ParseStats parse(LineReader lines, Consumer<SlowLogEntry> sink) throws IOException {
        var run = new Run(sink);
        while (lines.next()) {
            run.line(lines.buffer(), lines.lineStart, lines.lineEnd, lines.lineOffset(), lines.continued());
        }
        run.finish();
        return new ParseStats(run.entries, run.errorCount, run.errors, lines.bytesRead());
    }

    /** The state of one parse; the entry being built lives in these fields to avoid an object per line. */
    private final class Run {
        private final Consumer<SlowLogEntry> sink;
        long entries;
        long errorCount;
        final List<ParseError> errors = new ArrayList<>();

        private boolean open;
        private long offset;
        private String error;
        private boolean inQuery;
        private boolean sawUserHost;
        private boolean sawQueryTime;
        private Instant zonedTime;
        private Instant legacyTime;
        private long setTimestamp;
        private String user;
        private String host;
        private String ip;
        private long threadId;
        private String schema;
        private String useSchema;
        private String useLine;
        private double queryTime;
        private double lockTime;
        private long rowsSent;
        private long rowsExamined;
        private long rowsAffected;
        private long bytesSent;
        private Map<String, String> attributes;
        private StringBuilder explain;
        private final ByteBuilder query = new ByteBuilder();
        // The same few User@Host lines and schemas repeat for millions of entries: parse each once in a row.
        private byte[] lastUserHost = new byte[0];
        private String lastUser;
        private String lastHost;
        private String lastIp;
        private long lastHostThreadId;
        private String lastUserHostError;
        private byte[] lastSchemaBytes = new byte[0];
        private String lastSchema;

        Run(Consumer<SlowLogEntry> sink) {
            this.sink = sink;
        }

        void line(byte[] b, int s, int e, long lineOffset, boolean continued) {
            if (continued) {
                // The rest of an over-long line: it can only be statement text.
                if (open && error == null) {
                    error = "a line longer than " + maxLine + " bytes";
                }
                return;
            }
            if (e > s && b[e - 1] == '\r') {
                e--; // a log copied through Windows
            }
            if (e - s >= 2 && b[s] == '#' && b[s + 1] == ' ') {
                header(b, s, e, lineOffset);
            } else if (!inQuery && e - s == 1 && b[s] == '#') {
                // MariaDB's blank separator around the explain block
            } else if (isBanner(b, s, e)) {
                finishEntry();
            } else if (!inQuery && open && setTimestamp < 0 && startsWith(b, s, e, "SET ")
                    && indexOf(b, s, e, "timestamp=") >= 0
                    && startsWithAny(b, s + 4, e, "timestamp=", "last_insert_id=", "insert_id=")) {
                int at = indexOf(b, s, e, "timestamp=") + "timestamp=".length();
                int end = at;
                while (end < e && b[end] != ';' && b[end] != ',') {
                    end++;
                }
                setTimestamp = parseLong(b, at, end, "SET timestamp");
            } else if (!inQuery && open && useSchema == null && startsWith(b, s, e, "use ") && e > s + 5
                    && b[e - 1] == ';') {
                // like pt-query-digest, only the first use and SET lines are header; a second is the statement
                useLine = text(b, s, e - 1);
                useSchema = unquote(text(b, s + 4, e - 1));
            } else {
                if (!open) {
                    begin(lineOffset);
                    error = "text outside an entry";
                }
                inQuery = true;
                query.appendLine(b, s, e);
            }
        }

        private void header(byte[] b, int s, int e, long lineOffset) {
            if (startsWith(b, s, e, "# Time: ")) {
                if (inQuery || !open || zonedTime != null || legacyTime != null || sawUserHost || sawQueryTime) {
                    begin(lineOffset);
                }
                time(text(b, s + 8, e).strip());
            } else if (startsWith(b, s, e, "# User@Host: ")) {
                if (inQuery || !open || sawUserHost || sawQueryTime) {
                    begin(lineOffset);
                }
                sawUserHost = true;
                userHost(b, s, e);
            } else if (startsWith(b, s, e, "# Query_time: ")) {
                if (inQuery || !open || sawQueryTime) {
                    begin(lineOffset);
                }
                sawQueryTime = true;
                fields(b, s + 2, e);
            } else if (startsWith(b, s, e, "# Thread_id: ") || startsWith(b, s, e, "# Schema: ")) {
                if (inQuery || !open || sawQueryTime) {
                    begin(lineOffset);
                }
                fields(b, s + 2, e);
            } else if (inQuery) {
                query.appendLine(b, s, e); // a comment line inside a multi-line statement
            } else if (!open) {
                begin(lineOffset);
                error = "text outside an entry";
            } else if (startsWith(b, s, e, "# administrator command: ")) {
                inQuery = true;
                query.appendLine(b, s + 2, e);
            } else if (startsWith(b, s, e, "# explain: ")) {
                if (!keepAttributes) {
                    return;
                }
                if (explain == null) {
                    explain = new StringBuilder();
                } else {
                    explain.append('\n');
                }
                explain.append(text(b, s + 11, e));
            } else {
                fields(b, s + 2, e);
            }
        }

        private void begin(long lineOffset) {
            finishEntry();
            open = true;
            offset = lineOffset;
            error = null;
            inQuery = false;
            sawUserHost = false;
            sawQueryTime = false;
            zonedTime = null;
            legacyTime = null;
            setTimestamp = -1;
            user = null;
            host = null;
            ip = null;
            threadId = -1;
            schema = null;
            useSchema = null;
            useLine = null;
            queryTime = -1;
            lockTime = -1;
            rowsSent = -1;
            rowsExamined = -1;
            rowsAffected = -1;
            bytesSent = -1;
            attributes = null;
            explain = null;
            query.clear();
        }

        void finishEntry() {
            if (!open) {
                return;
            }
            open = false;
            if (error == null && !sawQueryTime) {
                error = "no # Query_time line";
            }
            String statement = query.length() > 0 ? query.statement() : useLine; // "use db;" alone is the statement
            if (error == null && statement == null) {
                error = "no statement";
            }
            if (error != null) {
                errorCount++;
                if (errors.size() < MAX_KEPT_ERRORS) {
                    errors.add(new ParseError(source, offset, error));
                }
                return;
            }
            Instant time = zonedTime != null ? zonedTime
                    : setTimestamp >= 0 ? Instant.ofEpochSecond(setTimestamp) : legacyTime;
            if (explain != null) {
                attrs().put("explain", explain.toString());
            }
            String db = schema == null || schema.isEmpty() ? useSchema : schema;
            entries++;
            sink.accept(new SlowLogEntry(time, user, host, ip, threadId, db, queryTime, lockTime, rowsSent,
                    rowsExamined, rowsAffected, bytesSent, attributes, statement, offset));
        }

        void finish() {
            finishEntry();
        }

        private Map<String, String> attrs() {
            if (attributes == null) {
                attributes = new HashMap<>();
            }
            return attributes;
        }

        private void time(String value) {
            try {
                if (value.length() > 10 && value.charAt(10) == 'T') {
                    zonedTime = value.endsWith("Z") ? Instant.parse(value) : OffsetDateTime.parse(value).toInstant();
                    return;
                }
                var m = LEGACY_TIME.matcher(value);
                if (m.matches()) {
                    legacyTime = LocalDateTime.of(2000 + Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                            Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                            Integer.parseInt(m.group(6))).toInstant(ZoneOffset.UTC);
                    return;
                }
            } catch (java.time.DateTimeException | NumberFormatException e) {
                // reported below
            }
            fail("unreadable # Time: " + excerpt(value));
        }

        private void userHost(byte[] b, int s, int e) {
            if (!java.util.Arrays.equals(b, s, e, lastUserHost, 0, lastUserHost.length)) {
                lastUserHost = java.util.Arrays.copyOfRange(b, s, e);
                var m = USER_HOST.matcher(text(b, s, e));
                lastUserHostError = null;
                if (!m.matches()) {
                    lastUserHostError = "unreadable # User@Host: line";
                } else {
                    lastUser = m.group(1).strip();
                    lastIp = m.group(3);
                    lastHost = m.group(2).isEmpty() ? lastIp : m.group(2);
                    lastHostThreadId = -1;
                    if (m.group(4) != null) {
                        var digits = m.group(4).getBytes(StandardCharsets.ISO_8859_1);
                        lastHostThreadId = parseLong(digits, 0, digits.length, "Id");
                    }
                }
            }
            if (lastUserHostError != null) {
                fail(lastUserHostError);
                return;
            }
            user = lastUser;
            ip = lastIp;
            host = lastHost;
            if (lastHostThreadId >= 0) {
                threadId = lastHostThreadId;
            }
        }

        private String schemaName(byte[] b, int s, int e) {
            if (!java.util.Arrays.equals(b, s, e, lastSchemaBytes, 0, lastSchemaBytes.length)) {
                lastSchemaBytes = java.util.Arrays.copyOfRange(b, s, e);
                lastSchema = unquote(text(b, s, e));
            }
            return lastSchema;
        }

        /** {@code Name: value} pairs; an empty value (MariaDB's {@code Schema:   QC_hit: No}) is allowed. */
        private void fields(byte[] b, int i, int e) {
            while (i < e) {
                while (i < e && b[i] == ' ') {
                    i++;
                }
                int keyStart = i;
                while (i < e && isKeyByte(b[i])) {
                    i++;
                }
                if (i == keyStart || i >= e || b[i] != ':') {
                    // not a Name: value line; kept verbatim rather than guessed at
                    if (keyStart < e && keepAttributes) {
                        attrs().merge("comment", text(b, keyStart, e), (a, c) -> a + "\n" + c);
                    }
                    return;
                }
                int keyEnd = i++;
                while (i < e && (b[i] == ' ' || b[i] == '\t')) {
                    i++;
                }
                int valueStart = i;
                while (i < e && b[i] != ' ' && b[i] != '\t') {
                    i++;
                }
                int valueEnd = i;
                if (valueEnd > valueStart && b[valueEnd - 1] == ':' && allKeyBytes(b, valueStart, valueEnd - 1)) {
                    i = valueStart; // the value was empty and this is the next name
                    valueEnd = valueStart;
                }
                field(b, keyStart, keyEnd, valueStart, valueEnd);
            }
        }

        private void field(byte[] b, int ks, int ke, int vs, int ve) {
            switch (knownKey(b, ks, ke)) {
                case 0 -> queryTime = parseDouble(b, vs, ve, "Query_time");
                case 1 -> lockTime = parseDouble(b, vs, ve, "Lock_time");
                case 2 -> rowsSent = parseLong(b, vs, ve, "Rows_sent");
                case 3 -> rowsExamined = parseLong(b, vs, ve, "Rows_examined");
                case 4 -> rowsAffected = parseLong(b, vs, ve, "Rows_affected");
                case 5 -> bytesSent = parseLong(b, vs, ve, "Bytes_sent");
                case 6, 7 -> threadId = parseLong(b, vs, ve, "Thread_id");
                case 8 -> schema = schemaName(b, vs, ve);
                default -> {
                    if (keepAttributes) {
                        attrs().put(keyName(b, ks, ke), text(b, vs, ve));
                    }
                }
            }
        }

        private long parseLong(byte[] b, int s, int e, String what) {
            long v = 0;
            if (s == e || e - s > 18) {
                fail("bad " + what);
                return -1;
            }
            for (int i = s; i < e; i++) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    fail("bad " + what + ": " + excerpt(text(b, s, e)));
                    return -1;
                }
                v = v * 10 + d;
            }
            return v;
        }

        /** Plain decimals as the servers write them ({@code 0.000123}); anything else is an error. */
        private double parseDouble(byte[] b, int s, int e, String what) {
            long mantissa = 0;
            int scale = -1;
            int digits = 0;
            for (int i = s; i < e; i++) {
                byte c = b[i];
                if (c == '.' && scale < 0) {
                    scale = 0;
                } else if (c >= '0' && c <= '9' && digits < 18) {
                    mantissa = mantissa * 10 + (c - '0');
                    digits++;
                    if (scale >= 0) {
                        scale++;
                    }
                } else {
                    fail("bad " + what + ": " + excerpt(text(b, s, e)));
                    return -1;
                }
            }
            if (digits == 0) {
                fail("bad " + what);
                return -1;
            }
            return scale <= 0 ? mantissa : mantissa / POW10[scale];
        }

        private void fail(String reason) {
            if (error == null) {
                error = reason;
            }
        }
    }

    private static final double[] POW10 = new double[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private static final String[] KNOWN_KEYS = {"Query_time", "Lock_time", "Rows_sent", "Rows_examined",
        "Rows_affected", "Bytes_sent", "Thread_id", "Id", "Schema"};

    /** Index in {@link #KNOWN_KEYS}, or -1; compares bytes so the common names cost no String. */
    private static int knownKey(byte[] b, int s, int e) {
        int k = switch (e - s) {
            case 10 -> b[s] == 'Q' ? 0 : 5; // Query_time, Bytes_sent
            case 9 -> b[s] == 'L' ? 1 : b[s] == 'R' ? 2 : 6; // Lock_time, Rows_sent, Thread_id
            case 13 -> b[s + 5] == 'e' ? 3 : 4; // Rows_examined, Rows_affected
            case 2 -> 7;
            case 6 -> 8;
            default -> -1;
        };
        return k >= 0 && startsWith(b, s, e, KNOWN_KEYS[k]) ? k : -1;
    }

    private static final Map<String, String> KEY_CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    /** Interned header names: the same twenty names repeat millions of times. */
    private static String keyName(byte[] b, int s, int e) {
        // a cheap hash over the bytes avoids building a String for every known name
        String k = new String(b, s, e - s, StandardCharsets.ISO_8859_1);
        return KEY_CACHE.size() < 10_000 ? KEY_CACHE.computeIfAbsent(k, x -> x) : k;
    }

    private static boolean isKeyByte(byte c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static boolean allKeyBytes(byte[] b, int s, int e) {
        if (s == e) {
            return false;
        }
        for (int i = s; i < e; i++) {
            if (!isKeyByte(b[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBanner(byte[] b, int s, int e) {
        return startsWith(b, s, e, "Tcp port: ") || startsWith(b, s, e, "TCP Port: ")
                || (startsWith(b, s, e, "Time") && e - s > 4 && (b[s + 4] == ' ' || b[s + 4] == '\t')
                        && indexOf(b, s, e, "Id Command") >= 0)
                || (indexOf(b, s, e, ", Version: ") > 0
                        && (endsWith(b, s, e, "started with:") || endsWith(b, s, e, "embedded library")));
    }

    static boolean startsWith(byte[] b, int s, int e, String p) {
        if (e - s < p.length()) {
            return false;
        }
        for (int i = 0; i < p.length(); i++) {
            if (b[s + i] != p.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithAny(byte[] b, int s, int e, String... ps) {
        for (var p : ps) {
            if (startsWith(b, s, e, p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean endsWith(byte[] b, int s, int e, String p) {
        return e - s >= p.length() && startsWith(b, e - p.length(), e, p);
    }

    private static int indexOf(byte[] b, int s, int e, String p) {
        outer:
        for (int i = s; i <= e - p.length(); i++) {
            for (int j = 0; j < p.length(); j++) {
                if (b[i + j] != p.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Lenient: malformed UTF-8 becomes U+FFFD. */
    static String text(byte[] b, int s, int e) {
        return new String(b, s, e - s, StandardCharsets.UTF_8);
    }

    private static String unquote(String name) {
        return name.length() >= 2 && name.charAt(0) == '`' && name.charAt(name.length() - 1) == '`'
                ? name.substring(1, name.length() - 1) : name;
    }

    private static String excerpt(String s) {
        var cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        var out = new StringBuilder();
        cut.codePoints().forEach(c -> out.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return "'" + out + "'";
    }
}
