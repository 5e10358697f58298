package io.vigil.logs.index;

import io.vigil.logs.wire.LogBatch;
import io.vigil.logs.wire.LogBatchJson;

/** A batch as Kafka would deliver it again: through its JSON. */
final class LogBatchRoundTrip {

    private LogBatchRoundTrip() {
    }

    static LogBatch of(LogBatch batch) {
        return LogBatchJson.decode(LogBatchJson.encode(batch));
    }
}
