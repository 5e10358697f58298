package io.vigil.testbed;

/**
 * A single-node Elasticsearch 8.19 (the integ-test distribution from Maven Central, 512 MB heap, security
 * off, plain HTTP) started by {@code deploy/testbed/elasticsearch.sh}. It has no ILM, no ingest processors,
 * no Painless and no {@code GET /}: probe it with {@code _cluster/health}.
 *
 * <p>Shared by every test class in the JVM: give each class its own index names or prefix. A test that
 * {@link #takeDown()}s it must {@link #bringBack()} it, in a {@code finally}.
 */
public final class Elasticsearch extends ManagedService {

    public Elasticsearch() {
        super("elasticsearch", 2); // HTTP port, transport port
    }

    /** The HTTP address, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://" + instance().address();
    }

    /** Stops the server (its indices stay), as an outage would; clients get "connection refused". */
    public synchronized void takeDown() {
        stopKeepingData(instance());
    }

    /** Starts the stopped server again on the same address, with its indices; returns once it is yellow. */
    public synchronized void bringBack() {
        startAgain(instance(), Launch.of(name(), 2));
    }
}
