package io.vigil.rules;

import io.vigil.model.Labels;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A rule ready to evaluate: its condition, the metrics it reads (a batch with none of them leaves
 * the rule alone), how much history its windows need, and its annotation templates.
 */
public record CompiledRule(RuleSpec spec, AlertCondition condition, Set<String> metrics, long windowMillis,
                           Map<String, AnnotationTemplate> templates) {

    public String name() {
        return spec.name();
    }

    /** The annotations for one alert: templates filled with its labels and value (null: no data). */
    Map<String, String> annotations(Labels labels, Double value) {
        var out = new TreeMap<String, String>();
        templates.forEach((k, t) -> out.put(k, t.render(labels, value)));
        return out;
    }
}
