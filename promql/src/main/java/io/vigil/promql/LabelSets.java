package io.vigil.promql;

import io.vigil.model.LabelNames;
import io.vigil.model.Labels;

import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/** Label-set edits the evaluator needs: Prometheus' {@code labels.Builder} Del/Keep and signatures. */
public final class LabelSets {

    private LabelSets() {
    }

    public static Labels dropName(Labels labels) {
        return labels.withoutMetricName();
    }

    public static Labels without(Labels labels, Collection<String> names) {
        var map = new TreeMap<>(labels.asMap());
        map.keySet().removeAll(names);
        return map.size() == labels.size() ? labels : Labels.of(map);
    }

    public static Labels keep(Labels labels, Collection<String> names) {
        var map = new TreeMap<String, String>();
        for (String name : names) {
            String v = labels.get(name);
            if (v != null) {
                map.put(name, v);
            }
        }
        return Labels.of(map);
    }

    /** The vector-matching key: the {@code on} labels, or every label but the {@code ignoring} ones and the name. */
    public static Labels signature(Labels labels, List<String> matching, boolean on) {
        if (on) {
            return keep(labels, matching);
        }
        var map = new TreeMap<>(labels.asMap());
        map.keySet().removeAll(matching);
        map.remove(LabelNames.METRIC_NAME);
        return Labels.of(map);
    }
}
