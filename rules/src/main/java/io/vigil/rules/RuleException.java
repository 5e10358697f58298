package io.vigil.rules;

import java.util.List;

/**
 * A rule that cannot be loaded. Each problem names the rule, the field and, for an expression,
 * the line and column inside it; a file loader prefixes the file position.
 */
public class RuleException extends RuntimeException {

    private final List<String> problems;

    public RuleException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    static RuleException of(RuleSpec spec, String field, String message) {
        return new RuleException(List.of("rule " + spec.name() + ": " + field + ": " + message));
    }

    /** An error inside the expression: {@code message} already starts with {@code line:column:} when the parser made it. */
    static RuleException at(RuleSpec spec, String field, String message, int line, int column) {
        String positioned = message.matches("^\\d+:\\d+: .*") ? message : line + ":" + column + ": " + message;
        return new RuleException(List.of("rule " + spec.name() + ": " + field + ": " + positioned));
    }
}
