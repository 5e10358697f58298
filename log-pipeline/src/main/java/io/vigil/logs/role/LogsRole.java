package io.vigil.logs.role;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vigil.logs.index.BulkIndexer;
import io.vigil.logs.index.ElasticsearchConnection;
import io.vigil.logs.index.ElasticsearchSettings;
import io.vigil.logs.index.IndexLifecycle;
import io.vigil.logs.index.IndexNames;
import io.vigil.logs.index.IndexRetention;
import io.vigil.logs.index.IndexTemplates;
import io.vigil.logs.index.LogDocuments;
import io.vigil.model.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wires log indexing and search into the Quarkus application. The Elasticsearch connection exists in
 * every process (the search API answers wherever the server runs); the {@code vigil.logs} consumer and
 * the retention timer run only where {@code vigil.roles} includes {@code logs}. Nothing here waits for
 * Elasticsearch: a process whose Elasticsearch is down starts, and indexes once it is up.
 */
@ApplicationScoped
public class LogsRole {

    private static final Logger LOG = Logger.getLogger(LogsRole.class);

    private final LogsConfig config;
    private final Optional<String> bootstrapServers;
    private final Set<Role> roles;

    private ElasticsearchConnection connection;
    private IndexNames names;
    private LogsConsumer consumer;
    private ScheduledExecutorService maintenanceTimer;

    @Inject
    public LogsRole(LogsConfig config,
                    @ConfigProperty(name = "vigil.kafka.bootstrap-servers") Optional<String> bootstrapServers,
                    @ConfigProperty(name = Role.CONFIG_KEY, defaultValue = Role.ALL) String roles) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.roles = Role.parse(roles);
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    synchronized void start() {
        var es = config.elasticsearch();
        var settings = ElasticsearchSettings.of(es.url()).withUser(es.username().orElse(null), es.password().orElse(null))
                .withApiKey(es.apiKey().orElse(null));
        names = new IndexNames(config.indexPrefix());
        connection = new ElasticsearchConnection(settings);
        if (!roles.contains(Role.LOGS)) {
            LOG.infof("logs role not enabled (%s); log search only, against %s", Role.CONFIG_KEY, settings);
            return;
        }
        String servers = bootstrapServers.filter(s -> !s.isBlank()).orElseThrow(() -> new IllegalStateException(
                "the logs role needs vigil.kafka.bootstrap-servers; set it, or leave logs out of " + Role.CONFIG_KEY));
        var client = connection.client();
        var consumerSettings = LogsConsumerSettings.defaults(servers)
                .withTopic(config.topic())
                .withGroup(config.consumerGroup())
                .withBatching(config.batchDocuments(), config.batchMaxWait())
                .withRetry(config.retryMin(), config.retryMax());
        var lifecycle = new IndexLifecycle(client, names, config.retentionDays());
        consumer = new LogsConsumer(consumerSettings,
                new IndexTemplates(client, names, config.indexShards(), config.indexReplicas(), lifecycle),
                new LogDocuments(names), new BulkIndexer(client, config.batchDocuments(), config.batchMaxBytes().asLongValue()));
        consumer.start();

        var retention = new IndexRetention(client, names, config.retentionDays(), Clock.systemUTC());
        maintenanceTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "vigil-logs-retention");
            t.setDaemon(true);
            return t;
        });
        maintenanceTimer.scheduleWithFixedDelay(() -> {
            try {
                retention.apply();
            } catch (Exception e) {
                LOG.warnf("log index retention did not run (%s); trying again in %s", e.toString(), config.maintenanceInterval());
            }
        }, 1000, config.maintenanceInterval().toMillis(), TimeUnit.MILLISECONDS);
        LOG.infof("logs role started: topic %s, group %s, Elasticsearch %s, indices %s-*, retention %d days",
                config.topic(), config.consumerGroup(), settings, config.indexPrefix(), config.retentionDays());
    }

    synchronized void stop() {
        if (maintenanceTimer != null) {
            maintenanceTimer.shutdownNow();
            maintenanceTimer = null;
        }
        if (consumer != null) {
            consumer.stop();
            consumer = null;
        }
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    /** The Elasticsearch connection, for search. */
    public synchronized ElasticsearchConnection connection() {
        return connection;
    }

    public synchronized IndexNames names() {
        return names;
    }

    /** The running consumer (for metrics), empty where the logs role is off. */
    public synchronized Optional<LogsConsumer> consumer() {
        return Optional.ofNullable(consumer);
    }
}
