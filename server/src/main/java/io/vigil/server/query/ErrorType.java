package io.vigil.server.query;

/** Prometheus' API error types and the HTTP status each is answered with. */
public enum ErrorType {
    BAD_DATA("bad_data", 400),
    EXECUTION("execution", 422),
    UNAVAILABLE("unavailable", 503),
    INTERNAL("internal", 500);

    private final String wireName;
    private final int httpStatus;

    ErrorType(String wireName, int httpStatus) {
        this.wireName = wireName;
        this.httpStatus = httpStatus;
    }

    public String wireName() {
        return wireName;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
