package io.vigil.collector;

import io.vigil.model.SampleBatch;

/** Where scrapes go: Kafka in production. */
public interface SamplePublisher extends AutoCloseable {

    /** Hands a batch over; delivery is asynchronous, failures are counted and logged by the publisher. */
    void publish(SampleBatch batch);

    @Override
    void close();
}
