package io.vigil.logs.errorlog;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads MySQL 5.7, MySQL 8.x and MariaDB 10.x error logs into events. A line that starts with a
 * timestamp starts an event; any other line continues the event before it. InnoDB's deadlock report
 * (written with {@code innodb_print_all_deadlocks}) spans several timestamped lines and an
 * untimestamped dump: it becomes one {@link ErrorLogEvent.Kind#DEADLOCK} event holding both
 * transactions and the one rolled back. Lines before the first header (a truncated start) are skipped.
 */
public final class ErrorLogParser {

    /** MySQL 5.7 / 8.x: {@code 2026-12-04T03:00:00.123456Z 12 [Warning] [MY-010055] [Server] text}. */
    private static final Pattern MYSQL = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?)(?:Z|[+-]\\d{2}:\\d{2})?\\s+(\\d+)\\s+\\[(\\w+)\\]\\s*(?:\\[(MY-\\d+)\\]\\s*)?(?:\\[(\\w+)\\]\\s*)?(.*)");
    /** MariaDB 10.x: {@code 2026-12-04 21:17:26 9 [Note] InnoDB: text}; the thread id is absent on some lines. */
    private static final Pattern MARIADB = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2}\\s+\\d{1,2}:\\d{2}:\\d{2})\\s+(?:(\\d+)\\s+)?\\[(\\w+)\\]\\s*(.*)");
    private static final Pattern SUBSYSTEM_PREFIX = Pattern.compile("^(InnoDB|Galera|WSREP|Slave SQL|Slave I/O|mariadbd|mysqld|Aria|Plugin '[^']*'):\\s?");
    private static final DateTimeFormatter MARIADB_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd H:mm:ss");

    private ErrorLogParser() {
    }

    /** @param text the log, or a part of it that starts at {@code startOffset} bytes into the file */
    public static List<ErrorLogEvent> parse(String text, long startOffset) {
        var events = new ArrayList<ErrorLogEvent>();
        Builder current = null;
        Builder deadlock = null;
        long offset = startOffset;
        for (String line : text.split("\n", -1)) {
            long lineOffset = offset;
            offset += line.getBytes(StandardCharsets.UTF_8).length + 1;
            String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            Builder header = header(l, lineOffset);
            if (header == null) {
                if (deadlock != null) {
                    deadlock.append(l);
                    if (l.startsWith("*** WE ROLL BACK TRANSACTION")) {
                        events.add(deadlock.build());
                        deadlock = null;
                    }
                } else if (current != null && !l.isEmpty()) {
                    current.append(l);
                }
                continue;
            }
            if (deadlock != null) {
                // The report goes on in timestamped lines of the same thread: "InnoDB: *** (2) TRANSACTION:",
                // "InnoDB: *** WAITING FOR THIS LOCK TO BE GRANTED:", an empty "InnoDB:" before a dump.
                String part = header.message.replaceFirst("^InnoDB:\\s?", "");
                if (header.thread == deadlock.thread && (part.isBlank() || part.startsWith("***"))) {
                    if (!part.isBlank()) {
                        deadlock.append(part);
                    }
                    if (part.startsWith("*** WE ROLL BACK TRANSACTION")) {
                        events.add(deadlock.build());
                        deadlock = null;
                    }
                    continue;
                }
                events.add(deadlock.build());
                deadlock = null;
            }
            if (current != null) {
                events.add(current.build());
                current = null;
            }
            if (header.message.toLowerCase(Locale.ROOT).contains("deadlock detected")) {
                header.kind = ErrorLogEvent.Kind.DEADLOCK;
                deadlock = header;
            } else {
                current = header;
            }
        }
        if (deadlock != null) {
            events.add(deadlock.build());
        }
        if (current != null) {
            events.add(current.build());
        }
        return events;
    }

    private static Builder header(String line, long offset) {
        Matcher m = MYSQL.matcher(line);
        try {
            if (m.matches()) {
                return new Builder(LocalDateTime.parse(m.group(1)), Long.parseLong(m.group(2)), m.group(3), m.group(4),
                        m.group(5), m.group(6), offset);
            }
            m = MARIADB.matcher(line);
            if (m.matches()) {
                // Older servers pad a one-digit hour with a space: "2026-12-04  9:05:01".
                return new Builder(LocalDateTime.parse(m.group(1).replaceAll("\\s+", " "), MARIADB_TIME), m.group(2) == null ? -1 : Long.parseLong(m.group(2)),
                        m.group(3), null, null, m.group(4), offset);
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            return null; // looks like a header but is not one: a continuation line
        }
        return null;
    }

    private static final class Builder {
        final LocalDateTime time;
        final long thread;
        final String severity;
        final String code;
        String subsystem;
        final String message;
        final long offset;
        final StringBuilder text;
        ErrorLogEvent.Kind kind = ErrorLogEvent.Kind.MESSAGE;

        Builder(LocalDateTime time, long thread, String severity, String code, String subsystem, String message, long offset) {
            this.time = time;
            this.thread = thread;
            this.severity = severity;
            this.code = code;
            this.subsystem = subsystem;
            this.message = message;
            this.offset = offset;
            this.text = new StringBuilder(message);
            if (subsystem == null) {
                Matcher p = SUBSYSTEM_PREFIX.matcher(message);
                if (p.find()) {
                    this.subsystem = p.group(1);
                }
            }
        }

        void append(String line) {
            text.append('\n').append(line);
        }

        ErrorLogEvent build() {
            return new ErrorLogEvent(time, thread, severity, code, subsystem, text.toString(), kind, offset);
        }
    }
}
