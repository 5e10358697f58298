package io.vigil.notifier;

/**
 * A delivery that did not happen. {@code retryable}: the same request may succeed later (timeouts,
 * 5xx, rate limits, SMTP down); otherwise retrying cannot help (bad number, bad credentials) and the
 * outbox fails over at once. Messages carry the notification's context and never a token, password,
 * robot key or address with a key in it: callers log them as they are.
 */
public final class DeliveryException extends Exception {

    private final boolean retryable;

    public DeliveryException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public static DeliveryException retryable(Notification n, String what, Throwable cause) {
        return new DeliveryException(n.context() + ": " + what, true, cause);
    }

    public static DeliveryException permanent(Notification n, String what, Throwable cause) {
        return new DeliveryException(n.context() + ": " + what, false, cause);
    }

    public boolean retryable() {
        return retryable;
    }
}
