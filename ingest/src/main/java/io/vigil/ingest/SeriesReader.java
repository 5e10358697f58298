package io.vigil.ingest;

import io.vigil.model.LabelMatcher;

import java.util.List;

/**
 * The read path of the time-series store, the same over TimescaleDB and plain PostgreSQL.
 * The query engines (Prometheus API, rules backfill, Zabbix) read through this alone.
 */
public interface SeriesReader {

    /**
     * Every series selected by all {@code matchers} (the metric name is the {@code __name__}
     * label), with its raw points whose time is in {@code [startMillis, endMillis]}, oldest first.
     * A series with no point in the range is left out.
     *
     * @throws IllegalArgumentException when no matcher narrows the selection (every matcher
     *                                  also matches the empty string), as Prometheus refuses too
     */
    List<SeriesPoints> read(List<LabelMatcher> matchers, long startMillis, long endMillis);
}
