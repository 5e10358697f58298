package io.vigil.server.targets;

public class TargetExistsException extends RuntimeException {
    public TargetExistsException(String targetId) {
        super("target " + targetId + " already exists; use PUT /api/v1/targets/" + targetId + " to change it");
    }
}
