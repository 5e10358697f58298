package io.vigil.logs.slowlog;

import java.time.Instant;
import java.util.Map;

/**
 * One statement of a slow query log. Absent numbers are -1 (a format that does not write them), absent
 * strings are null.
 *
 * @param time         when the statement was logged: the entry's {@code # Time:} when it carries a zone (MySQL
 *                     5.7+), else its {@code SET timestamp=…}, else a zone-less {@code # Time:} read as UTC
 * @param user         the account's user name ({@code app} of {@code app[app] @ …})
 * @param host         client host name, or the ip when the server logged no name
 * @param ip           client address, may be empty
 * @param threadId     connection id ({@code Id:} or {@code Thread_id:})
 * @param schema       default database ({@code Schema:} or a {@code use} line)
 * @param queryTime    seconds
 * @param lockTime     seconds
 * @param attributes   every other {@code Name: value} of the header (MariaDB's {@code Full_scan}, Percona's
 *                     {@code InnoDB_IO_r_ops}, MySQL 8's {@code Errno}…) and, under {@code explain}, the
 *                     {@code # explain:} rows joined by newlines
 * @param query        the statement as logged, without the trailing {@code ;}; for administrator commands
 *                     {@code administrator command: Quit}
 * @param offset       byte offset of the entry's first line in the file
 */
public record SlowLogEntry(Instant time, String user, String host, String ip, long threadId, String schema,
                           double queryTime, double lockTime, long rowsSent, long rowsExamined, long rowsAffected,
                           long bytesSent, Map<String, String> attributes, String query, long offset) {

    public SlowLogEntry {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        query = query == null ? "" : query;
    }

    public boolean administratorCommand() {
        return query.startsWith("administrator command: ");
    }
}
