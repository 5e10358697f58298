package io.vigil.logs.search;

/** Elasticsearch could not answer a search (down, overloaded); the message says which and why. */
public final class SearchUnavailableException extends Exception {

    public SearchUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
