package io.vigil.ingest;

/** The value of {@code vigil.ingest.layout}: which {@link StoreLayout} the store uses. */
public enum LayoutChoice {
    /** TimescaleDB when the server offers the extension, else plain partitioned PostgreSQL. */
    AUTO,
    /** Require TimescaleDB; refuse to start without it rather than silently store differently. */
    TIMESCALEDB,
    /** Plain PostgreSQL declarative partitioning, even when TimescaleDB is available. */
    PARTITIONED
}
