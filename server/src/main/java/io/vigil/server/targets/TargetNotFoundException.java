package io.vigil.server.targets;

public class TargetNotFoundException extends RuntimeException {
    public TargetNotFoundException(String targetId) {
        super("target " + targetId + " does not exist");
    }
}
