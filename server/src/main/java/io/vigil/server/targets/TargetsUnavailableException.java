package io.vigil.server.targets;

/** The database or Kafka could not take a target change; nothing was changed. */
public class TargetsUnavailableException extends RuntimeException {
    public TargetsUnavailableException(String message) {
        super(message);
    }
}
