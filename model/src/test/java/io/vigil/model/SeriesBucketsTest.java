package io.vigil.model;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SeriesBucketsTest {

    private static final long W = 60_000;

    /** Buckets at the given multiples of the width, one point each at the bucket's end. */
    private static SeriesBuckets at(long... minutes) {
        var b = new SeriesBuckets.Builder(Labels.of("__name__", "x"), W);
        for (long m : minutes) {
            b.add(m * W, m);
        }
        return b.build();
    }

    @Test
    void lookupsAgreeWithABinarySearchWithAndWithoutGaps() {
        var random = new Random(7);
        for (int round = 0; round < 2_000; round++) {
            int n = random.nextInt(0, 40);
            long[] minutes = new long[n];
            long m = random.nextLong(-50, 50);
            for (int i = 0; i < n; i++) {
                m += random.nextInt(10) < 8 ? 1 : random.nextInt(2, 6); // mostly dense, sometimes a gap
                minutes[i] = m;
            }
            SeriesBuckets b = at(minutes);
            for (int probe = 0; probe < 30; probe++) {
                long t = random.nextLong(-60 * W, 150 * W);
                int i = Arrays.binarySearch(b.ends(), t);
                assertThat(b.lastAtOrBefore(t)).as("lastAtOrBefore(%d) in %s", t, Arrays.toString(minutes))
                        .isEqualTo(i >= 0 ? i : -i - 2);
                assertThat(b.firstAtOrAfter(t)).as("firstAtOrAfter(%d) in %s", t, Arrays.toString(minutes))
                        .isEqualTo(i >= 0 ? i : -i - 1);
            }
        }
    }

    @Test
    void boundariesOfADenseRun() {
        SeriesBuckets b = at(10, 11, 12, 13);
        assertThat(b.lastAtOrBefore(12 * W)).isEqualTo(2);
        assertThat(b.lastAtOrBefore(12 * W + 1)).isEqualTo(2);
        assertThat(b.lastAtOrBefore(10 * W - 1)).isEqualTo(-1);
        assertThat(b.lastAtOrBefore(99 * W)).isEqualTo(3);
        assertThat(b.firstAtOrAfter(12 * W - 1)).isEqualTo(2);
        assertThat(b.firstAtOrAfter(14 * W)).isEqualTo(4);
        assertThat(b.firstAtOrAfter(-5 * W)).isEqualTo(0);
    }
}
