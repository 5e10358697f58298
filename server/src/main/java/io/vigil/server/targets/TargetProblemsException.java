package io.vigil.server.targets;

import io.vigil.collector.TargetValidator;

import java.util.List;

/** The request's target definition is invalid; each problem names its field. Never carries a password. */
public class TargetProblemsException extends RuntimeException {

    private final String targetId;
    private final List<TargetValidator.Problem> problems;

    public TargetProblemsException(String targetId, List<TargetValidator.Problem> problems) {
        super("target " + targetId + ": " + problems.size() + " problem(s)");
        this.targetId = targetId;
        this.problems = List.copyOf(problems);
    }

    public String targetId() {
        return targetId;
    }

    public List<TargetValidator.Problem> problems() {
        return problems;
    }
}
