package io.vigil.collector.logs;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A nanosecond clock the test moves, so the quiet period passes when the test says so. */
final class ManualTime implements LongSupplier {

    private long nanos = 1_000_000_000L;

    void advance(Duration d) {
        nanos += d.toNanos();
    }

    @Override
    public long getAsLong() {
        return nanos;
    }
}
