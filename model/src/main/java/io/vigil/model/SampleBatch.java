package io.vigil.model;

import java.util.List;
import java.util.Objects;

/**
 * One scrape of one target: every sample shares the scrape's timestamp and the target's labels
 * ({@code cluster}, {@code instance}, {@code kind} and the user's own).
 */
public record SampleBatch(String targetId, long timestampMillis, Labels labels, List<Sample> samples) {

    public SampleBatch {
        Objects.requireNonNull(targetId, "targetId");
        Objects.requireNonNull(labels, "labels");
        samples = List.copyOf(samples);
    }

    /**
     * The Kafka key: the cluster, so that every node of a cluster lands on one partition and one
     * rules instance sees the whole cluster; the target itself when it belongs to no cluster.
     */
    public String partitionKey() {
        String cluster = labels.get(LabelNames.CLUSTER);
        return cluster != null ? cluster : targetId;
    }

    /** The full label set of a sample's series: the target's labels, then the sample's own. */
    public Labels seriesLabels(Sample sample) {
        return labels.merge(sample.labels());
    }
}
