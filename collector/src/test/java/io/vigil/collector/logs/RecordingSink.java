package io.vigil.collector.logs;

import io.vigil.logs.wire.LogBatch;
import io.vigil.logs.wire.LogBatchJson;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A sink that keeps what it acknowledges, decoded back from the JSON that would go to Kafka, and that can be
 * told to refuse sends, the way a broker that is down refuses them.
 */
final class RecordingSink implements BatchSink {

    final List<LogBatch> batches = new CopyOnWriteArrayList<>();
    final List<Integer> sizes = new CopyOnWriteArrayList<>();
    private volatile int refuseNext;
    private volatile int acceptBeforeRefusing = -1;

    void refuseNext(int sends) {
        refuseNext = sends;
    }

    /** Takes the next {@code sends} sends, then refuses one, as a broker that goes down in the middle of a poll. */
    void refuseAfter(int sends) {
        acceptBeforeRefusing = sends;
    }

    @Override
    public void send(EncodedBatch batch) throws ShipException {
        if (acceptBeforeRefusing == 0) {
            acceptBeforeRefusing = -1;
            refuseNext++;
        } else if (acceptBeforeRefusing > 0) {
            acceptBeforeRefusing--;
        }
        if (refuseNext > 0) {
            refuseNext--;
            throw new ShipException("refused: broker down", null);
        }
        batches.add(LogBatchJson.decode(batch.json()));
        sizes.add(batch.json().length);
    }

    List<String> queries() {
        var out = new ArrayList<String>();
        batches.forEach(b -> b.slow().forEach(s -> out.add(s.entry().query())));
        return out;
    }

    @Override
    public void close() {
    }
}
