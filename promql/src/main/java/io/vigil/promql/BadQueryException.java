package io.vigil.promql;

/** A request the API refuses as Prometheus' {@code bad_data} (HTTP 400); the message is shown to the user as is. */
public class BadQueryException extends RuntimeException {

    public BadQueryException(String message) {
        super(message);
    }
}
