package io.vigil.notifier;

/** The outbox's database failed; the message names the operation and the row. */
public final class OutboxException extends RuntimeException {

    public OutboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
