package io.vigil.testbed;

/**
 * A Prometheus server with no scrape jobs, started by {@code deploy/testbed/prometheus.sh}: the
 * reference engine that Vigil's PromQL answers are compared with. Its data can only come from an
 * OpenMetrics backfill before it starts; a test that needs data subclasses this (with a no-argument
 * constructor, any visibility) and returns the text from {@link #openMetrics()}.
 */
public class Prometheus extends ManagedService {

    public Prometheus() {
        super("prometheus", 1);
    }

    /** OpenMetrics text, ending with {@code # EOF}, to load before the server starts; none by default. */
    protected String openMetrics() {
        return "";
    }

    /** The script reads the text to backfill on its stdin, where the other scripts take config lines. */
    @Override
    protected final String configuration() {
        return openMetrics();
    }

    /** The HTTP API's base address, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://" + instance().address();
    }
}
