package io.vigil.rules;

import java.util.List;

/** The rules in force, with a version that changes whenever any source changes. */
public record RuleSetSnapshot(long version, List<CompiledRule> rules) {

    public RuleSetSnapshot {
        rules = List.copyOf(rules);
    }
}
