package io.vigil.logs.index;

/** Field names of the indexed documents, shared by the templates, the documents and the searches. */
public final class Fields {

    public static final String TIMESTAMP = "@timestamp";
    // where the event was read (every kind)
    public static final String HOST = "host";
    public static final String CLUSTER = "cluster";
    public static final String INSTANCE = "instance";
    public static final String PATH = "path";
    public static final String FILE_ID = "file_id";
    public static final String OFFSET = "offset";
    // slow queries
    public static final String FINGERPRINT = "fingerprint";
    public static final String QUERY_ID = "query_id";
    public static final String QUERY = "query";
    public static final String QUERY_BYTES = "query_bytes";
    public static final String TRUNCATED = "truncated";
    public static final String USER = "user";
    public static final String CLIENT_HOST = "client_host";
    public static final String CLIENT_IP = "client_ip";
    public static final String THREAD_ID = "thread_id";
    public static final String SCHEMA = "schema";
    public static final String QUERY_TIME = "query_time";
    public static final String LOCK_TIME = "lock_time";
    public static final String ROWS_SENT = "rows_sent";
    public static final String ROWS_EXAMINED = "rows_examined";
    public static final String ROWS_AFFECTED = "rows_affected";
    public static final String BYTES_SENT = "bytes_sent";
    public static final String ATTRIBUTES = "attributes";
    // error-log events
    public static final String SEVERITY = "severity";
    public static final String CODE = "code";
    public static final String SUBSYSTEM = "subsystem";
    public static final String KIND = "kind";
    public static final String MESSAGE = "message";
    public static final String THREAD = "thread";
    // statement digests
    public static final String DIGEST = "digest";
    public static final String DIGEST_TEXT = "digest_text";
    public static final String FROM = "from";
    public static final String TO = "to";
    public static final String COUNT = "count";
    public static final String TOTAL_SECONDS = "total_seconds";
    public static final String MAX_SECONDS = "max_seconds";
    public static final String LOCK_SECONDS = "lock_seconds";
    public static final String ERRORS = "errors";
    public static final String WARNINGS = "warnings";
    public static final String NO_INDEX_USED = "no_index_used";

    private Fields() {
    }
}
