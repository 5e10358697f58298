package io.vigil.logs.index;

/**
 * Elasticsearch did not take a request as a whole: not reachable, overloaded (429), failing (5xx), or
 * refusing it. Nothing of what was asked is lost: the caller keeps it and tries again later.
 */
public final class ElasticsearchUnavailableException extends Exception {

    public ElasticsearchUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
