package io.vigil.server.logs;

/** A query parameter of a log search is wrong; the message names the parameter and says what it takes. */
final class BadParameterException extends Exception {

    BadParameterException(String parameter, String problem) {
        super(parameter + ": " + problem);
    }
}
