package io.vigil.model;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A series' rollup: its points summarised per bucket of {@code widthMillis}. A bucket is named by
 * its end and holds the points in {@code (end - width, end]}: closed at the end, so that a query
 * evaluated at an aligned time {@code t} finds the newest point at or before {@code t} in bucket
 * {@code t}, and a window {@code [t - r, t]} is buckets {@code t - r + width … t} plus, at most, the
 * last point of bucket {@code t - r} (when it lies exactly on {@code t - r}). With first and last
 * points, counter resets and staleness kept, the query engine answers selectors, {@code rate},
 * {@code increase}, {@code delta} and most {@code *_over_time} functions exactly from rollups.
 *
 * <p>Staleness markers are not points of any aggregate (Prometheus drops them from range vectors);
 * {@code staleTimes} keeps the newest one per bucket for instant selectors. Ordinary NaN readings
 * are counted in {@code nanCounts} and left out of the aggregates: a reader of such a bucket must
 * go back to the raw points, because NaN arithmetic depends on the order of the points.
 *
 * @param ends        bucket ends, ascending, each a multiple of the width since the epoch
 * @param counts      points per bucket, NaNs excluded; 0 for a bucket that holds only a staleness marker or NaNs
 * @param resets      the counter-reset correction inside the bucket: the sum of every value that a lower next value followed
 * @param staleTimes  time of the newest staleness marker in the bucket, {@link #NONE} if none
 */
public record SeriesBuckets(Labels labels, long widthMillis, long[] ends, int[] counts, double[] sums, double[] mins,
                            double[] maxes, long[] firstTimes, double[] firsts, long[] lastTimes, double[] lasts,
                            double[] resets, long[] staleTimes, int[] nanCounts) {

    public static final long NONE = Long.MIN_VALUE;

    /**
     * The parts of a bucket a reader may leave out when its caller does not need them; the count,
     * the last point and the NaN count are always read (every use of a bucket needs them). A part
     * left out holds 0, NaN or {@link #NONE} and means nothing.
     */
    public enum Field { SUM, MIN, MAX, FIRST, RESETS, STALE }

    public static final Set<Field> ALL_FIELDS = Collections.unmodifiableSet(EnumSet.allOf(Field.class));

    public SeriesBuckets {
        int n = ends.length;
        if (counts.length != n || sums.length != n || mins.length != n || maxes.length != n || firstTimes.length != n
                || firsts.length != n || lastTimes.length != n || lasts.length != n || resets.length != n
                || staleTimes.length != n || nanCounts.length != n) {
            throw new IllegalArgumentException("bucket columns differ in length for " + labels);
        }
        if (widthMillis <= 0) {
            throw new IllegalArgumentException("bucket width must be positive, got " + widthMillis);
        }
    }

    public int size() {
        return ends.length;
    }

    /** The end of the bucket that holds a point at {@code timeMillis}: the next multiple of the width, or the time itself. */
    public static long bucketEnd(long timeMillis, long widthMillis) {
        return Math.ceilDiv(timeMillis, widthMillis) * widthMillis;
    }

    /** The index of the newest bucket ending at or before {@code t}, or -1; without a search where the buckets have no gap. */
    public int lastAtOrBefore(long t) {
        int guess = denseIndex(Math.floorDiv(t, widthMillis) * widthMillis);
        if (guess >= 0) {
            return guess;
        }
        int i = Arrays.binarySearch(ends, t);
        return i >= 0 ? i : -i - 2;
    }

    /** The index of the oldest bucket ending at or after {@code t}, or {@link #size()}; as {@link #lastAtOrBefore}. */
    public int firstAtOrAfter(long t) {
        int guess = denseIndex(bucketEnd(t, widthMillis));
        if (guess >= 0) {
            return guess;
        }
        int i = Arrays.binarySearch(ends, t);
        return i >= 0 ? i : -i - 1;
    }

    /** The buckets ending in {@code [firstEnd, lastEnd]}; this one when that is all of them. */
    public SeriesBuckets between(long firstEnd, long lastEnd) {
        int from = firstAtOrAfter(firstEnd);
        int to = lastAtOrBefore(lastEnd) + 1;
        if (from == 0 && to == ends.length) {
            return this;
        }
        to = Math.max(from, to);
        return new SeriesBuckets(labels, widthMillis, Arrays.copyOfRange(ends, from, to), Arrays.copyOfRange(counts, from, to),
                Arrays.copyOfRange(sums, from, to), Arrays.copyOfRange(mins, from, to), Arrays.copyOfRange(maxes, from, to),
                Arrays.copyOfRange(firstTimes, from, to), Arrays.copyOfRange(firsts, from, to),
                Arrays.copyOfRange(lastTimes, from, to), Arrays.copyOfRange(lasts, from, to), Arrays.copyOfRange(resets, from, to),
                Arrays.copyOfRange(staleTimes, from, to), Arrays.copyOfRange(nanCounts, from, to));
    }

    /** Where bucket {@code end} would be if no bucket were missing since the first; -1 when it is not there. */
    private int denseIndex(long end) {
        if (ends.length == 0) {
            return -1;
        }
        long index = (end - ends[0]) / widthMillis;
        return index >= 0 && index < ends.length && ends[(int) index] == end ? (int) index : -1;
    }

    public boolean hasNaN() {
        for (int n : nanCounts) {
            if (n > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The rollup of raw points, by the definition above: what the store's rollup tables hold, and
     * what a reader computes for buckets whose rollup is not written yet.
     */
    public static SeriesBuckets of(SeriesPoints points, long widthMillis) {
        var b = new Builder(points.labels(), widthMillis);
        long[] ts = points.timestampsMillis();
        double[] vs = points.values();
        for (int i = 0; i < ts.length; i++) {
            b.add(ts[i], vs[i]);
        }
        return b.build();
    }

    /** Accumulates points in time order into buckets. */
    public static final class Builder {
        private final Labels labels;
        private final long width;
        private int size = -1;
        private long[] ends = new long[16];
        private int[] counts = new int[16];
        private double[] sums = new double[16];
        private double[] mins = new double[16];
        private double[] maxes = new double[16];
        private long[] firstTimes = new long[16];
        private double[] firsts = new double[16];
        private long[] lastTimes = new long[16];
        private double[] lasts = new double[16];
        private double[] resets = new double[16];
        private long[] staleTimes = new long[16];
        private int[] nanCounts = new int[16];

        public Builder(Labels labels, long widthMillis) {
            this.labels = labels;
            this.width = widthMillis;
        }

        /** Adds a point no older than the previous one. */
        public Builder add(long timeMillis, double value) {
            long end = bucketEnd(timeMillis, width);
            if (size < 0 || ends[size] != end) {
                if (size >= 0 && end < ends[size]) {
                    throw new IllegalArgumentException("points out of order for " + labels + ": " + timeMillis + " after bucket " + ends[size]);
                }
                open(end);
            }
            int i = size;
            if (Sample.isStaleMarker(value)) {
                staleTimes[i] = timeMillis;
            } else if (Double.isNaN(value)) {
                nanCounts[i]++;
            } else if (counts[i] == 0) {
                counts[i] = 1;
                sums[i] = value;
                mins[i] = value;
                maxes[i] = value;
                firstTimes[i] = timeMillis;
                firsts[i] = value;
                lastTimes[i] = timeMillis;
                lasts[i] = value;
            } else {
                counts[i]++;
                sums[i] += value;
                mins[i] = Math.min(mins[i], value);
                maxes[i] = Math.max(maxes[i], value);
                if (value < lasts[i]) {
                    resets[i] += lasts[i];
                }
                lastTimes[i] = timeMillis;
                lasts[i] = value;
            }
            return this;
        }

        /** Appends a whole bucket (read from a rollup table); buckets must come in order. */
        public Builder addBucket(long end, int count, double sum, double min, double max, long firstTime, double first,
                                 long lastTime, double last, double reset, long staleTime, int nanCount) {
            if (size >= 0 && end <= ends[size]) {
                throw new IllegalArgumentException("buckets out of order for " + labels + ": " + end + " after " + ends[size]);
            }
            open(end);
            counts[size] = count;
            sums[size] = sum;
            mins[size] = min;
            maxes[size] = max;
            firstTimes[size] = firstTime;
            firsts[size] = first;
            lastTimes[size] = lastTime;
            lasts[size] = last;
            resets[size] = reset;
            staleTimes[size] = staleTime;
            nanCounts[size] = nanCount;
            return this;
        }

        /** Appends every bucket of {@code b}, which must come after those appended so far. */
        public Builder addBuckets(SeriesBuckets b) {
            for (int i = 0; i < b.size(); i++) {
                addBucket(b.ends[i], b.counts[i], b.sums[i], b.mins[i], b.maxes[i], b.firstTimes[i], b.firsts[i], b.lastTimes[i],
                        b.lasts[i], b.resets[i], b.staleTimes[i], b.nanCounts[i]);
            }
            return this;
        }

        public boolean isEmpty() {
            return size < 0;
        }

        private void open(long end) {
            size++;
            if (size == ends.length) {
                int n = size * 2;
                ends = Arrays.copyOf(ends, n);
                counts = Arrays.copyOf(counts, n);
                sums = Arrays.copyOf(sums, n);
                mins = Arrays.copyOf(mins, n);
                maxes = Arrays.copyOf(maxes, n);
                firstTimes = Arrays.copyOf(firstTimes, n);
                firsts = Arrays.copyOf(firsts, n);
                lastTimes = Arrays.copyOf(lastTimes, n);
                lasts = Arrays.copyOf(lasts, n);
                resets = Arrays.copyOf(resets, n);
                staleTimes = Arrays.copyOf(staleTimes, n);
                nanCounts = Arrays.copyOf(nanCounts, n);
            }
            ends[size] = end;
            counts[size] = 0;
            sums[size] = 0;
            mins[size] = 0;
            maxes[size] = 0;
            firstTimes[size] = NONE;
            firsts[size] = 0;
            lastTimes[size] = NONE;
            lasts[size] = 0;
            resets[size] = 0;
            staleTimes[size] = NONE;
            nanCounts[size] = 0;
        }

        public SeriesBuckets build() {
            int n = size + 1;
            return new SeriesBuckets(labels, width, Arrays.copyOf(ends, n), Arrays.copyOf(counts, n), Arrays.copyOf(sums, n),
                    Arrays.copyOf(mins, n), Arrays.copyOf(maxes, n), Arrays.copyOf(firstTimes, n), Arrays.copyOf(firsts, n),
                    Arrays.copyOf(lastTimes, n), Arrays.copyOf(lasts, n), Arrays.copyOf(resets, n),
                    Arrays.copyOf(staleTimes, n), Arrays.copyOf(nanCounts, n));
        }
    }
}
