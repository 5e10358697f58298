package io.vigil.model;

import java.util.Objects;

/**
 * One value of one metric from one scrape. The labels here are only those that tell samples of
 * the same scrape apart (a replication channel, a Redis replica); the target's own labels travel
 * once per {@link SampleBatch}.
 */
public record Sample(String metric, Labels labels, double value) {

    public Sample {
        if (!Labels.isValidName(metric)) {
            throw new IllegalArgumentException("invalid metric name '" + metric + "'");
        }
        Objects.requireNonNull(labels, "labels");
    }

    public static Sample of(String metric, double value) {
        return new Sample(metric, Labels.EMPTY, value);
    }
}
