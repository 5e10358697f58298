package io.vigil.testbed;

/** A test-bed service could not be started, stopped or queried. The message says what, where and why. */
public class TestBedException extends RuntimeException {

    public TestBedException(String message) {
        super(message);
    }

    public TestBedException(String message, Throwable cause) {
        super(message, cause);
    }
}
