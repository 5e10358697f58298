package io.vigil.collector.logs;

/** A batch was not acknowledged; the message names the source and the reason. It is tried again. */
public final class ShipException extends Exception {

    public ShipException(String message, Throwable cause) {
        super(message, cause);
    }
}
