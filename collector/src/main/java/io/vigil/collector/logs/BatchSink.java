package io.vigil.collector.logs;

/** Where shipped batches go: {@code vigil.logs} in production. */
public interface BatchSink extends AutoCloseable {

    /** Returns once the batch is acknowledged; only then may its checkpoint be stored. */
    void send(EncodedBatch batch) throws ShipException;

    @Override
    void close();
}
