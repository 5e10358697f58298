package io.vigil.logs.wire;

/** What a {@link LogSource} yields. */
public enum LogKind {
    /** A slow query log file. */
    SLOW,
    /** An error log file. */
    ERROR,
    /** {@code performance_schema.events_statements_summary_by_digest}, read over SQL where no file can be tailed. */
    DIGEST
}
