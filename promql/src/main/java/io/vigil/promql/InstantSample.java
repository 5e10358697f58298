package io.vigil.promql;

import io.vigil.model.Labels;

/**
 * One element of an instant vector.
 *
 * @param labels          the series' labels, {@code __name__} included (a plain selector keeps it)
 * @param timestampMillis the evaluation time, not the sample's own time, as in Prometheus
 */
public record InstantSample(Labels labels, long timestampMillis, double value) {
}
