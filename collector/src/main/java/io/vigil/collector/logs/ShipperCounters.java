package io.vigil.collector.logs;

import java.util.concurrent.atomic.AtomicLong;

/** What the shipper did since start, for Vigil's own metrics; shared by every source of one shipper. */
public final class ShipperCounters {

    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong slowQueries = new AtomicLong();
    private final AtomicLong errorEvents = new AtomicLong();
    private final AtomicLong digests = new AtomicLong();
    private final AtomicLong parseErrors = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicLong readFailures = new AtomicLong();
    private final AtomicLong rotations = new AtomicLong();
    private final AtomicLong truncations = new AtomicLong();
    private final AtomicLong oversized = new AtomicLong();

    void shipped(EncodedBatch b, long fileBytes) {
        batches.incrementAndGet();
        slowQueries.addAndGet(b.batch().slow().size());
        errorEvents.addAndGet(b.batch().errors().size());
        digests.addAndGet(b.batch().digests().size());
        parseErrors.addAndGet(b.batch().parseErrors().size());
        bytes.addAndGet(fileBytes);
    }

    void sendFailed() {
        sendFailures.incrementAndGet();
    }

    void readFailed() {
        readFailures.incrementAndGet();
    }

    void rotated() {
        rotations.incrementAndGet();
    }

    void truncated() {
        truncations.incrementAndGet();
    }

    void tooLarge() {
        oversized.incrementAndGet();
    }

    /** Batches Kafka acknowledged. */
    public long batches() {
        return batches.get();
    }

    public long slowQueries() {
        return slowQueries.get();
    }

    public long errorEvents() {
        return errorEvents.get();
    }

    /** Statement digest deltas shipped. */
    public long digests() {
        return digests.get();
    }

    /** Malformed entries shipped as parse errors (each with its file and offset). */
    public long parseErrors() {
        return parseErrors.get();
    }

    /** Log file bytes acknowledged. */
    public long bytes() {
        return bytes.get();
    }

    /** Sends Kafka did not acknowledge (tried again). */
    public long sendFailures() {
        return sendFailures.get();
    }

    /** Reads of a file or of performance_schema that failed (tried again). */
    public long readFailures() {
        return readFailures.get();
    }

    /** Files followed to their successor after a rotation by rename (or a delete). */
    public long rotations() {
        return rotations.get();
    }

    /** Files found truncated in place (copytruncate) and read again from the start. */
    public long truncations() {
        return truncations.get();
    }

    /** Entries too large for a Kafka record even alone, shipped as parse errors instead. */
    public long oversized() {
        return oversized.get();
    }
}
