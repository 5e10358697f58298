package io.vigil.server.query;

import io.vigil.ingest.SeriesPoints;
import io.vigil.ingest.SeriesReader;
import io.vigil.model.Sample;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Evaluates instant vector selectors over the store with Prometheus' rules: at time t a series
 * has the value of its newest point in {@code (t - lookback, t]}, or none; a Prometheus staleness
 * marker as that newest point also means none.
 */
@ApplicationScoped
public class QueryEngine {

    public static final long DEFAULT_LOOKBACK_MILLIS = 5 * 60_000L;
    /** Prometheus' cap: {@code (end - start) / step} may not exceed it (so at most 11,001 points). */
    public static final long MAX_STEPS = 11_000;
    public static final String TOO_MANY_POINTS =
            "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)";

    private final SeriesReader reader;
    private final long lookbackMillis;

    @Inject
    public QueryEngine(SeriesReader reader) {
        this(reader, DEFAULT_LOOKBACK_MILLIS);
    }

    public QueryEngine(SeriesReader reader, long lookbackMillis) {
        if (lookbackMillis <= 0) {
            throw new IllegalArgumentException("lookback must be positive, got " + lookbackMillis);
        }
        this.reader = reader;
        this.lookbackMillis = lookbackMillis;
    }

    /** The selected series' values at {@code timeMillis}, ordered by labels; series without one are absent. */
    public List<InstantSample> instant(VectorSelector selector, long timeMillis) {
        var result = new ArrayList<InstantSample>();
        for (SeriesPoints series : reader.read(selector.matchers(), timeMillis - lookbackMillis, timeMillis)) {
            long[] ts = series.timestampsMillis();
            double[] vs = series.values();
            int i = lastAtOrBefore(ts, timeMillis, -1);
            if (isLive(ts, vs, i, timeMillis)) {
                result.add(new InstantSample(series.labels(), timeMillis, vs[i]));
            }
        }
        result.sort(Comparator.comparing(InstantSample::labels, LabelsOrder.INSTANCE));
        return result;
    }

    /**
     * The selected series at each step time {@code start + k*step <= end}, ordered by labels.
     * Series without any value are left out; the store is read once for the whole range.
     *
     * @throws BadQueryException when more than {@link #MAX_STEPS} steps are asked for
     */
    public List<RangeSeries> range(VectorSelector selector, long startMillis, long endMillis, long stepMillis) {
        if (stepMillis <= 0) {
            throw new BadQueryException("zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if (endMillis < startMillis) {
            throw new BadQueryException("end timestamp must not be before start time");
        }
        if ((endMillis - startMillis) / stepMillis > MAX_STEPS) {
            throw new BadQueryException(TOO_MANY_POINTS);
        }
        int steps = (int) ((endMillis - startMillis) / stepMillis) + 1;
        var result = new ArrayList<RangeSeries>();
        for (SeriesPoints series : reader.read(selector.matchers(), startMillis - lookbackMillis, endMillis)) {
            long[] ts = series.timestampsMillis();
            double[] vs = series.values();
            long[] outT = new long[steps];
            double[] outV = new double[steps];
            int n = 0;
            int i = -1;
            for (int k = 0; k < steps; k++) {
                long t = startMillis + k * stepMillis;
                i = lastAtOrBefore(ts, t, i); // step times only grow, so the scan resumes where it stopped
                if (isLive(ts, vs, i, t)) {
                    outT[n] = t;
                    outV[n] = vs[i];
                    n++;
                }
            }
            if (n > 0) {
                result.add(new RangeSeries(series.labels(), Arrays.copyOf(outT, n), Arrays.copyOf(outV, n)));
            }
        }
        result.sort(Comparator.comparing(RangeSeries::labels, LabelsOrder.INSTANCE));
        return result;
    }

    /** Index of the last point at or before t, scanning forward from {@code from}; -1 when none. */
    private static int lastAtOrBefore(long[] ts, long t, int from) {
        int i = from;
        while (i + 1 < ts.length && ts[i + 1] <= t) {
            i++;
        }
        return i;
    }

    private boolean isLive(long[] ts, double[] vs, int i, long t) {
        return i >= 0 && ts[i] > t - lookbackMillis && !Sample.isStaleMarker(vs[i]);
    }
}
