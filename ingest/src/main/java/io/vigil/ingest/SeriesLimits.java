package io.vigil.ingest;

/**
 * The series cardinality guard's limits; 0 turns a limit off.
 *
 * @param maxPerTarget   how many series one target may own (the target whose batch created them); a
 *                       label with unbounded values on one exporter stops there instead of filling the store
 * @param maxNewPerHour  how many series the whole store may create in any rolling hour: the churn of a
 *                       fleet-wide mistake (a label that changes every scrape) is bounded even when every
 *                       target stays under its own limit
 */
public record SeriesLimits(int maxPerTarget, int maxNewPerHour) {

    public static final SeriesLimits NONE = new SeriesLimits(0, 0);

    public SeriesLimits {
        if (maxPerTarget < 0 || maxNewPerHour < 0) {
            throw new IllegalArgumentException("series limits must not be negative, got per target " + maxPerTarget
                    + " and new per hour " + maxNewPerHour);
        }
    }
}
