package io.vigil.promql;

import io.vigil.model.Labels;

import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;

/**
 * Prometheus' {@code labels.Compare}: pair by pair in name order, name before value; a shorter
 * set that is a prefix sorts first. Results are ordered this way, as Prometheus orders them.
 */
public final class LabelsOrder implements Comparator<Labels> {

    public static final LabelsOrder INSTANCE = new LabelsOrder();

    @Override
    public int compare(Labels a, Labels b) {
        Iterator<Map.Entry<String, String>> ia = a.asMap().entrySet().iterator();
        Iterator<Map.Entry<String, String>> ib = b.asMap().entrySet().iterator();
        while (ia.hasNext() && ib.hasNext()) {
            var ea = ia.next();
            var eb = ib.next();
            int c = ea.getKey().compareTo(eb.getKey());
            if (c != 0) {
                return c;
            }
            c = ea.getValue().compareTo(eb.getValue());
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
