package io.vigil.server.targets;

import io.quarkus.runtime.ShutdownEvent;
import io.vigil.model.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes target changes to the compacted {@code vigil.targets} topic and waits for the
 * broker's acknowledgement, so the API answers only once collectors can see the change.
 */
@ApplicationScoped
public class TargetsPublisher {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final String bootstrapServers;
    private KafkaProducer<String, byte[]> producer;

    public TargetsPublisher(@ConfigProperty(name = "vigil.kafka.bootstrap-servers") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Publishes the definition, or a tombstone when {@code value} is null. */
    public void publish(String targetId, byte[] value) {
        try {
            producer().send(new ProducerRecord<>(Topics.TARGETS, targetId, value)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new TargetsUnavailableException("target " + targetId + ": Kafka did not take the change: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new TargetsUnavailableException("target " + targetId + ": Kafka at " + bootstrapServers + " did not acknowledge within "
                    + WAIT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetsUnavailableException("target " + targetId + ": interrupted while publishing");
        }
    }

    // Created on first use: only a process that serves the API needs a producer.
    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            var props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-server-targets");
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) WAIT.toMillis());
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) WAIT.toMillis());
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    synchronized void onStop(@Observes ShutdownEvent event) {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
