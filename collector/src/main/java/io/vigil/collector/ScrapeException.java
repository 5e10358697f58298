package io.vigil.collector;

/** A scrape that failed; the message names the target and what went wrong, never its credentials. */
public class ScrapeException extends Exception {
    public ScrapeException(String message, Throwable cause) {
        super(message, cause);
    }

    public ScrapeException(String message) {
        super(message);
    }
}
