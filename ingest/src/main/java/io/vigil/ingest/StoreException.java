package io.vigil.ingest;

/** A store operation failed; the message says which one and on what, the cause is the JDBC error. */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(cause == null ? message : message + ": " + cause.getMessage(), cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
