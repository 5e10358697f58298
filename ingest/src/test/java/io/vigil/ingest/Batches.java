package io.vigil.ingest;

import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;

import java.util.ArrayList;
import java.util.List;

/** Sample batches shaped like a collector's: target labels once per batch, a few metrics each. */
final class Batches {

    static final String TOPIC = "vigil.samples";

    private Batches() {
    }

    /** A MySQL-like scrape of {@code instance} in {@code cluster} with {@link #POINTS_PER_SCRAPE} samples. */
    static SampleBatch scrape(String cluster, String instance, long timeMillis, double base) {
        var labels = Labels.of("cluster", cluster, "instance", instance, "kind", "mysql");
        return new SampleBatch(instance, timeMillis, labels, List.of(
                Sample.of("up", 1),
                Sample.of("mysql_threads_connected", base),
                new Sample("mysql_replication_lag_seconds", Labels.of("channel", "a"), base / 10),
                new Sample("mysql_replication_lag_seconds", Labels.of("channel", "b"), base / 20)));
    }

    static final int POINTS_PER_SCRAPE = 4;

    static ConsumedBatch consumed(int partition, long offset, SampleBatch batch) {
        return new ConsumedBatch(TOPIC, partition, offset, batch);
    }

    /** {@code count} scrapes of one instance, 10 s apart, as records 0… of one partition. */
    static List<ConsumedBatch> series(int partition, String cluster, String instance, long startMillis, int count) {
        var result = new ArrayList<ConsumedBatch>();
        for (int i = 0; i < count; i++) {
            result.add(consumed(partition, i, scrape(cluster, instance, startMillis + i * 10_000L, i)));
        }
        return result;
    }
}
