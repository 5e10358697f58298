package io.vigil.ingest;

/**
 * What one {@link SampleWriter#write} did.
 *
 * @param batchesWritten     batches whose points went in
 * @param pointsWritten      rows added to {@code samples}
 * @param batchesSkipped     batches already written before (their offset is below the stored one)
 * @param pointsExpired      points older than the retention, dropped
 * @param seriesCreated      series new to the dictionary
 * @param seriesRefused      new series the cardinality guard refused (see {@link SeriesLimits})
 * @param pointsRefused      points of refused series, not stored
 */
public record WriteResult(int batchesWritten, long pointsWritten, int batchesSkipped, long pointsExpired, int seriesCreated,
                          int seriesRefused, long pointsRefused) {

    static final WriteResult NOTHING = new WriteResult(0, 0, 0, 0, 0, 0, 0);
}
