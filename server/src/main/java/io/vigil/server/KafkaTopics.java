package io.vigil.server;

import io.quarkus.runtime.StartupEvent;
import io.vigil.model.Topics;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates Vigil's topics before any role uses them, with the partition counts the design needs
 * (samples are keyed by cluster: more partitions, more rules and ingest instances can share the
 * work). Brokers often disable auto-creation, and auto-created topics get the broker's default
 * of one partition, which would cap every consumer group at one member.
 */
@ApplicationScoped
public class KafkaTopics {

    private static final Logger LOG = Logger.getLogger(KafkaTopics.class);

    private final String bootstrapServers;
    private final int samplesPartitions;
    private final short replicationFactor;
    private final boolean create;

    public KafkaTopics(@ConfigProperty(name = "vigil.kafka.bootstrap-servers") String bootstrapServers,
                       @ConfigProperty(name = "vigil.kafka.samples-partitions", defaultValue = "12") int samplesPartitions,
                       @ConfigProperty(name = "vigil.kafka.replication-factor", defaultValue = "1") short replicationFactor,
                       @ConfigProperty(name = "vigil.kafka.create-topics", defaultValue = "true") boolean create) {
        this.bootstrapServers = bootstrapServers;
        this.samplesPartitions = samplesPartitions;
        this.replicationFactor = replicationFactor;
        this.create = create;
    }

    // Before the roles' own startup observers (default priority 2500), which produce and consume.
    void onStart(@Observes @Priority(100) StartupEvent event) {
        if (!create) {
            return;
        }
        var props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // The API timeout may not be shorter than the request timeout (the client refuses to start).
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        try (Admin admin = Admin.create(props)) {
            var topics = List.of(
                    new NewTopic(Topics.SAMPLES, Optional.of(samplesPartitions), Optional.of(replicationFactor)),
                    new NewTopic(Topics.ALERTS, Optional.of(samplesPartitions), Optional.of(replicationFactor)),
                    new NewTopic(Topics.LOGS, Optional.of(samplesPartitions), Optional.of(replicationFactor)),
                    new NewTopic(Topics.TARGETS, Optional.of(samplesPartitions), Optional.of(replicationFactor))
                            .configs(Map.of("cleanup.policy", "compact")));
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(20, TimeUnit.SECONDS);
                    LOG.infof("created Kafka topic %s", entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        LOG.errorf("cannot create Kafka topic %s on %s: %s", entry.getKey(), bootstrapServers, e.getCause().getMessage());
                    }
                }
            }
        } catch (TimeoutException e) {
            LOG.errorf("Kafka at %s did not answer within 20 s; topics not checked (the roles retry on their own)", bootstrapServers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
