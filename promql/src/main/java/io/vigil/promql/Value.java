package io.vigil.promql;

import io.vigil.model.SeriesPoints;

import java.util.List;

/** What an expression evaluates to at one evaluation time. */
public sealed interface Value {

    record Scalar(double value) implements Value {
    }

    /** One sample per series, stamped with the evaluation time. */
    record Vector(List<InstantSample> samples) implements Value {
    }

    /** The raw points of each series in a range, staleness markers removed; no empty series. */
    record Matrix(List<SeriesPoints> series) implements Value {
    }
}
