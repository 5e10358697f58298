package io.vigil.collector.logs;

import java.util.Objects;

/**
 * How far a log file has been shipped: everything before {@code offset} of the file {@code fileId} is in Kafka.
 *
 * @param fileId {@link FileIdentity} as text
 * @param offset bytes acknowledged
 */
public record Checkpoint(String fileId, long offset) {

    public Checkpoint {
        Objects.requireNonNull(fileId, "fileId");
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset + " for file " + fileId);
        }
    }
}
