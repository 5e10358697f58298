package io.vigil.collector.logs;

import io.vigil.logs.wire.LogBatch;
import io.vigil.logs.wire.LogBatchJson;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a run of items into batches whose JSON fits a Kafka record, halving where it does not. One item
 * alone is never cut: the caller decides what to do with a batch still over the limit.
 */
final class BatchPacker {

    /** Makes the batch of {@code items[from, to)}. */
    interface Maker<T> {
        LogBatch make(List<T> items, int from, int to);
    }

    private BatchPacker() {
    }

    static <T> List<EncodedBatch> pack(List<T> items, int maxBytes, Maker<T> maker) {
        var out = new ArrayList<EncodedBatch>();
        pack(items, 0, items.size(), maxBytes, maker, out);
        return out;
    }

    private static <T> void pack(List<T> items, int from, int to, int maxBytes, Maker<T> maker, List<EncodedBatch> out) {
        LogBatch batch = maker.make(items, from, to);
        byte[] json = LogBatchJson.encode(batch);
        if (json.length <= maxBytes || to - from <= 1) {
            out.add(new EncodedBatch(batch, json));
            return;
        }
        int mid = (from + to) >>> 1;
        pack(items, from, mid, maxBytes, maker, out);
        pack(items, mid, to, maxBytes, maker, out);
    }
}
