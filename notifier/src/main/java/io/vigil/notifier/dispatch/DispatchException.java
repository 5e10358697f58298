package io.vigil.notifier.dispatch;

/** PostgreSQL refused or was away while the notifier routed, grouped or silenced; the message says which step. */
public final class DispatchException extends RuntimeException {

    public DispatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
