package io.vigil.testbed;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes, for tests that wait on a real service. The deadline
 * only bounds a hang; it is not a timing assertion.
 */
public final class Await {

    private static final long POLL_MILLIS = 50;

    private Await() {
    }

    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        until(timeout, what, condition, () -> "");
    }

    /** @param state what to say about the system when the deadline passes (last values seen, counters) */
    public static void until(Duration timeout, String what, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                String detail = state.get();
                throw new AssertionError("timed out after " + timeout + " waiting for " + what
                        + (detail.isEmpty() ? "" : "; " + detail));
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
    }
}
