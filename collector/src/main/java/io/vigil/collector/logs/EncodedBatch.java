package io.vigil.collector.logs;

import io.vigil.logs.wire.LogBatch;

/** A batch and its JSON, encoded once: the size check and the send use the same bytes. */
public record EncodedBatch(LogBatch batch, byte[] json) {
}
