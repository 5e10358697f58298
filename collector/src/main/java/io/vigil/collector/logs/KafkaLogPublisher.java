package io.vigil.collector.logs;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends log batches to {@code vigil.logs}, keyed by {@link io.vigil.logs.wire.LogSource#key()} so that the
 * batches of one file stay in order in one partition. Idempotent producer: a retried send is not stored twice.
 * {@link #send} waits for the acknowledgement, because the checkpoint may move only after it.
 */
public final class KafkaLogPublisher implements BatchSink {

    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final Duration deliveryTimeout;

    public KafkaLogPublisher(String bootstrapServers, String topic, int maxRecordBytes) {
        this(bootstrapServers, topic, maxRecordBytes, DELIVERY_TIMEOUT);
    }

    /** @param deliveryTimeout how long one send may take, retries included, before it counts as failed */
    public KafkaLogPublisher(String bootstrapServers, String topic, int maxRecordBytes, Duration deliveryTimeout) {
        var props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // Every send is awaited before the next of its file: there is nothing to wait for. And a record of a few hundred
        // kilobytes, compressed, looks smaller than its batch to the producer, which would hold it the whole linger.
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // Cheaper end to end than none even on loopback (bench/run-logs.sh): records a quarter the size cost the broker
        // and the logs consumer's fetches less than compressing costs here.
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-log-shipper");
        // The records are sized by the shipper; leave room for the record's own framing.
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRecordBytes + 64 * 1024);
        int timeoutMs = (int) deliveryTimeout.toMillis();
        int requestMs = Math.max(1000, timeoutMs / 3);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestMs);
        // Kafka insists on delivery.timeout >= linger + request timeout.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(timeoutMs, requestMs + 5));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(10_000, timeoutMs));
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.deliveryTimeout = deliveryTimeout;
    }

    @Override
    public void send(EncodedBatch batch) throws ShipException {
        String key = batch.batch().source().key();
        String what = "batch of " + key + " (bytes " + batch.batch().startOffset() + "-" + batch.batch().endOffset() + ")";
        try {
            producer.send(new ProducerRecord<>(topic, key, batch.json()))
                    .get(deliveryTimeout.toMillis() + 15_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ShipException(topic + " did not take the " + what + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new ShipException(topic + " did not acknowledge the " + what + " in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShipException("interrupted while sending the " + what + " to " + topic, e);
        } catch (RuntimeException e) {
            // send() itself throws when the metadata cannot be had within max.block.ms (Kafka down).
            throw new ShipException(topic + " is unreachable for the " + what + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
