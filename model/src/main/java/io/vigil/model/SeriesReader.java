package io.vigil.model;


import java.util.List;
import java.util.Optional;
import java.util.Set;

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

    /**
     * Like {@link #read}, but only each series' newest point in the range is needed (an instant
     * selector at one evaluation time): a reader that can skip the rest (the rule engine's window)
     * overrides this; the result must give the same newest point, staleness marker included.
     */
    default List<SeriesPoints> readLatest(List<LabelMatcher> matchers, long startMillis, long endMillis) {
        return read(matchers, startMillis, endMillis);
    }

    /** The rollup widths a store may keep, widest first: one hour and one minute. */
    List<Long> ROLLUP_WIDTHS_MILLIS = List.of(3_600_000L, 60_000L);

    /**
     * The rollup of width {@code widthMillis} (one of {@link #ROLLUP_WIDTHS_MILLIS}) of every series
     * the matchers select, buckets whose end is in {@code [firstEndMillis, lastEndMillis]}, exactly
     * as {@link SeriesBuckets#of} would compute them from the raw points; series without a bucket
     * there are left out. Empty when this reader keeps no rollups: the caller reads raw points.
     */
    default Optional<List<SeriesBuckets>> readBuckets(List<LabelMatcher> matchers, long widthMillis,
                                                                 long firstEndMillis, long lastEndMillis) {
        return Optional.empty();
    }

    /**
     * As {@link #readBuckets(List, long, long, long)}, where the caller needs only {@code fields}
     * besides the count, the last point and the NaN count; a store may then send less. A reader
     * that computes every field anyway may ignore them.
     */
    default Optional<List<SeriesBuckets>> readBuckets(List<LabelMatcher> matchers, long widthMillis, long firstEndMillis,
                                                      long lastEndMillis, Set<SeriesBuckets.Field> fields) {
        return readBuckets(matchers, widthMillis, firstEndMillis, lastEndMillis);
    }

    /** For {@link #series}: no lower or upper time bound. */
    long UNBOUNDED_START = Long.MIN_VALUE;
    long UNBOUNDED_END = Long.MAX_VALUE;

    /**
     * The label sets (metric name under {@code __name__}) of the series selected by all
     * {@code matchers} that have at least one point in {@code [startMillis, endMillis]}; without
     * points read. An empty matcher list selects every series: the label listing endpoints need
     * that, unlike queries. Either bound may be {@link #UNBOUNDED_START} / {@link #UNBOUNDED_END}.
     */
    List<Labels> series(List<LabelMatcher> matchers, long startMillis, long endMillis);
}
