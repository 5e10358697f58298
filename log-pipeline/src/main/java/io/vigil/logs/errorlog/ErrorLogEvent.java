package io.vigil.logs.errorlog;

import java.time.LocalDateTime;
import java.util.Objects;

/**
 * One event of a MySQL or MariaDB error log: its header line and every line that continues it (a
 * stack trace, an InnoDB deadlock dump with both transactions).
 *
 * @param time      as the server wrote it (UTC for MySQL 5.7+/8.x by default, the server's zone for MariaDB)
 * @param thread    the connection or thread id, -1 when the line has none
 * @param severity  Note, Warning, ERROR, System
 * @param code      MySQL 8.x's {@code MY-010055}; null when the format has none
 * @param subsystem MySQL 8.x's {@code [Server]}/{@code [InnoDB]}/…, or the message's {@code InnoDB:} prefix; null when neither
 * @param message   the whole text, continuation lines included
 * @param offset    byte offset of the header line in its file
 */
public record ErrorLogEvent(LocalDateTime time, long thread, String severity, String code, String subsystem, String message,
                            Kind kind, long offset) {

    public enum Kind {
        MESSAGE,
        /** An InnoDB deadlock report, with both transactions and the victim. */
        DEADLOCK
    }

    public ErrorLogEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }
}
