package io.vigil.collector.logs;

import java.io.IOException;

/** One thing the shipper follows: a log file or a server's statement digests. */
interface ShippingSource extends AutoCloseable {

    /** Ships what is new; returns whether it shipped anything (then the caller polls again at once). */
    boolean poll() throws IOException, ShipException;

    /** For log lines: the source's key. */
    String describe();

    @Override
    void close();
}
