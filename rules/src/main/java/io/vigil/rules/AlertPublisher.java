package io.vigil.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vigil.model.AlertEvent;
import io.vigil.model.SampleBatch;
import io.vigil.model.Topics;
import io.vigil.model.codec.SampleBatchCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Drains the history outbox to {@code vigil.alerts}: JSON events keyed by fingerprint (so one
 * alert's changes stay in order), idempotent producer, marked published only once Kafka has them.
 * A crash between send and mark re-sends; consumers drop an {@code eventId} they have seen.
 */
public final class AlertPublisher implements AutoCloseable {

    /** Times as ISO-8601 strings; states and severities in lower case, as in rule files and labels. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .configure(EnumFeature.WRITE_ENUMS_TO_LOWERCASE, true)
            .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, true)
            .build();

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public AlertPublisher(String bootstrapServers, String topic) {
        var props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-rules");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic == null ? Topics.ALERTS : topic;
    }

    /**
     * Publishes what the store has not published yet, in order; returns how many went.
     *
     * @throws SQLException when the store cannot be read or marked (nothing is lost: the rows stay unpublished)
     */
    public int drain(AlertStore store) throws SQLException {
        int total = 0;
        while (true) {
            List<AlertEvent> events = store.unpublished(500);
            if (events.isEmpty()) {
                return total;
            }
            var sent = new ArrayList<Future<?>>(events.size());
            for (AlertEvent e : events) {
                sent.add(producer.send(new ProducerRecord<>(topic, e.fingerprint(), encode(e))));
            }
            var ids = new ArrayList<Long>(events.size());
            try {
                for (int i = 0; i < sent.size(); i++) {
                    sent.get(i).get(30, TimeUnit.SECONDS);
                    ids.add(events.get(i).eventId());
                }
            } catch (ExecutionException | TimeoutException e) {
                store.markPublished(ids);
                throw new IllegalStateException("publishing alert events to " + topic + " failed after " + ids.size()
                        + " of " + events.size() + "; the rest stay in the outbox: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                store.markPublished(ids);
                return total + ids.size();
            }
            store.markPublished(ids);
            total += ids.size();
        }
    }

    /** Derived samples (cluster health) for the store and for every rules instance, keyed like the collector's. */
    public void publishSamples(String samplesTopic, List<SampleBatch> batches) {
        for (var b : batches) {
            producer.send(new ProducerRecord<>(samplesTopic, b.partitionKey(), SampleBatchCodec.encode(b)));
        }
    }

    public static byte[] encode(AlertEvent e) {
        try {
            return JSON.writeValueAsBytes(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("alert event " + e.eventId() + " does not serialise", ex);
        }
    }

    public static AlertEvent decode(byte[] json) {
        try {
            return JSON.readValue(json, AlertEvent.class);
        } catch (java.io.IOException ex) {
            throw new IllegalArgumentException("not an alert event: " + ex.getMessage(), ex);
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
