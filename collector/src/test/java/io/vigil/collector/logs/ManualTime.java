package io.vigil.collector.logs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/**
 * A nanosecond clock the test moves, so the quiet period passes when the test says so; and a wall clock stopped at
 * the moment it was made, so that no file a test writes is older by its modification time than the test makes it
 * with {@link java.nio.file.Files#setLastModifiedTime}.
 */
final class ManualTime implements LongSupplier {

    private final Clock wall = Clock.fixed(Instant.now(), ZoneOffset.UTC);
    private long nanos = 1_000_000_000L;

    void advance(Duration d) {
        nanos += d.toNanos();
    }

    Clock wall() {
        return wall;
    }

    @Override
    public long getAsLong() {
        return nanos;
    }
}
