package io.vigil.ingest;

import io.vigil.model.Labels;

/** The identity of a series in the dictionary: its metric and its labels (without {@code __name__}). */
record SeriesKey(String metric, Labels labels) {
}
