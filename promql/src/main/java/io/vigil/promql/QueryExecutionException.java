package io.vigil.promql;

/**
 * A query that parsed but cannot be evaluated over the data it met (duplicate series after a name
 * was dropped, ambiguous vector matching): Prometheus' {@code execution} error (HTTP 422), with
 * its message, shown to the user as is.
 */
public class QueryExecutionException extends RuntimeException {

    public QueryExecutionException(String message) {
        super(message);
    }
}
