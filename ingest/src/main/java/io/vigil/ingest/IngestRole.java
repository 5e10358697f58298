package io.vigil.ingest;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vigil.model.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Wires the store into the Quarkus application: the schema is ensured in every process (the
 * query API reads it even where ingest does not run); the consumer and the maintenance timer run
 * only where {@code vigil.roles} includes {@code ingest}.
 */
@ApplicationScoped
public class IngestRole {

    private static final Logger LOG = Logger.getLogger(IngestRole.class);

    private final DataSource dataSource;
    private final IngestConfig config;
    private final Optional<String> bootstrapServers;
    private final Set<Role> roles;

    private StoreLayout layout;
    private final List<IngestConsumer> consumers = new ArrayList<>();
    private ScheduledExecutorService maintenanceTimer;

    @Inject
    public IngestRole(DataSource dataSource, IngestConfig config,
                      @ConfigProperty(name = "vigil.kafka.bootstrap-servers") Optional<String> bootstrapServers,
                      @ConfigProperty(name = Role.CONFIG_KEY, defaultValue = Role.ALL) String roles) {
        this.dataSource = dataSource;
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
        var settings = new StoreSettings(config.retention(), config.premakeDays(),
                config.minuteRollupRetention().orElse(config.retention()), config.hourRollupRetention());
        layout = new StoreSchema(dataSource, config.layout(), settings).ensure();
        if (!roles.contains(Role.INGEST)) {
            LOG.infof("ingest role not enabled (%s); store schema only", Role.CONFIG_KEY);
            return;
        }
        String servers = bootstrapServers.filter(s -> !s.isBlank()).orElseThrow(() -> new IllegalStateException(
                "the ingest role needs vigil.kafka.bootstrap-servers; set it, or leave ingest out of " + Role.CONFIG_KEY));
        var offsets = new OffsetStore(dataSource, config.consumerGroup());
        var writer = new SampleWriter(dataSource, layout, offsets, config.retention(),
                new SeriesLimits(config.maxSeriesPerTarget(), config.maxNewSeriesPerHour()), Clock.systemUTC());
        var consumerSettings = ConsumerSettings.defaults(servers)
                .withTopic(config.topic())
                .withGroup(config.consumerGroup())
                .withBatching(config.batchRows(), config.batchMaxWait());
        if (config.writers() < 1) {
            throw new IllegalArgumentException("vigil.ingest.writers must be at least 1, got " + config.writers());
        }
        // One SampleWriter for all: its series cache and cardinality counts are shared and thread-safe.
        for (int i = 0; i < config.writers(); i++) {
            var consumer = new IngestConsumer(consumerSettings, writer);
            consumers.add(consumer);
            consumer.start();
        }

        maintenanceTimer = Executors.newScheduledThreadPool(2, r -> {
            var t = new Thread(r, "vigil-store-maintenance");
            t.setDaemon(true);
            return t;
        });
        long every = config.maintenanceInterval().toMillis();
        // The schema step just premade partitions; the first run also applies retention right away.
        maintenanceTimer.scheduleWithFixedDelay(new StoreMaintenance(dataSource, layout, Clock.systemUTC()), 0, every,
                TimeUnit.MILLISECONDS);
        maintenanceTimer.scheduleWithFixedDelay(new RollupMaintainer(dataSource, settings, Clock.systemUTC()),
                config.rollupInterval().toMillis(), config.rollupInterval().toMillis(), TimeUnit.MILLISECONDS);
        LOG.infof("ingest role started: topic %s, group %s, %d writers, %s layout", config.topic(), config.consumerGroup(),
                config.writers(), layout.name());
    }

    synchronized void stop() {
        if (maintenanceTimer != null) {
            maintenanceTimer.shutdownNow();
            maintenanceTimer = null;
        }
        consumers.forEach(IngestConsumer::stop);
        consumers.clear();
    }

    /** The layout in use, once started. */
    public synchronized StoreLayout layout() {
        return layout;
    }

    /** The running consumers (for metrics), none where the ingest role is off. */
    public synchronized List<IngestConsumer> consumers() {
        return List.copyOf(consumers);
    }
}
