package io.vigil.ingest;

import io.vigil.model.SampleBatch;
import org.apache.kafka.common.TopicPartition;

import java.util.Objects;

/** A decoded sample batch and the Kafka record it came from. */
public record ConsumedBatch(String topic, int partition, long offset, SampleBatch batch) {

    public ConsumedBatch {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(batch, "batch");
    }

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    /** "topic/partition@offset", for messages. */
    public String position() {
        return topic + '/' + partition + '@' + offset;
    }
}
