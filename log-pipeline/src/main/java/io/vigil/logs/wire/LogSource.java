package io.vigil.logs.wire;

import java.util.Objects;

/**
 * Where the events of a {@link LogBatch} were read.
 *
 * @param host     the machine the shipper runs on (or the server it reads digests from)
 * @param cluster  the cluster label of the database server, may be empty
 * @param instance the instance label of the database server ({@code host:port}), the key search filters by
 * @param kind     what was read
 * @param path     the file, or {@code performance_schema} for {@link LogKind#DIGEST}
 */
public record LogSource(String host, String cluster, String instance, LogKind kind, String path) {

    public LogSource {
        Objects.requireNonNull(host, "host");
        cluster = cluster == null ? "" : cluster;
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(path, "path");
    }

    /** The Kafka record key: batches of one file stay in one partition, hence in order. */
    public String key() {
        return host + ":" + path;
    }
}
