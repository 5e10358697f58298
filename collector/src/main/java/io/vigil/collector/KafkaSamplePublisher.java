package io.vigil.collector;

import io.vigil.model.SampleBatch;
import io.vigil.model.codec.SampleBatchCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes sample batches to {@code vigil.samples}, keyed by cluster so a rules instance sees
 * whole clusters. Idempotent producer: a retried send is not stored twice by the broker.
 */
public final class KafkaSamplePublisher implements SamplePublisher {

    private static final Logger LOG = Logger.getLogger(KafkaSamplePublisher.class);

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicBoolean failing = new AtomicBoolean();

    public KafkaSamplePublisher(String bootstrapServers, String topic) {
        var props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-collector");
        // A scrape is worth little after a few minutes: give up then rather than queue forever.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofMinutes(2).toMillis());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    @Override
    public void publish(SampleBatch batch) {
        var record = new ProducerRecord<>(topic, batch.partitionKey(), SampleBatchCodec.encode(batch));
        producer.send(record, (metadata, error) -> {
            if (error == null) {
                sent.incrementAndGet();
                if (failing.compareAndSet(true, false)) {
                    LOG.infof("publishing to %s works again", topic);
                }
            } else {
                failed.incrementAndGet();
                // Once per outage, not once per batch: a down broker must not flood the log.
                if (failing.compareAndSet(false, true)) {
                    LOG.errorf("cannot publish scrape of target %s to %s: %s", batch.targetId(), topic, error.getMessage());
                }
            }
        });
    }

    public long sent() {
        return sent.get();
    }

    public long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
