package io.vigil.model;

/** Kafka topic names; see ARCHITECTURE.md ("Kafka") for keys and consumers. */
public final class Topics {
    /** One {@link SampleBatch} per record, keyed by {@link SampleBatch#partitionKey()}. */
    public static final String SAMPLES = "vigil.samples";
    public static final String ALERTS = "vigil.alerts";
    public static final String LOGS = "vigil.logs";
    public static final String TARGETS = "vigil.targets";

    private Topics() {
    }
}
