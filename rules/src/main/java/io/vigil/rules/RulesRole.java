package io.vigil.rules;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vigil.model.Role;
import io.vigil.rules.health.HealthStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Wires the rule engine into the application. The tables (alerts, history, API rules) are ensured
 * in every process, because the REST API reads them wherever it runs; the consumer and the rule
 * reloader run only where {@code vigil.roles} includes {@code rules}.
 */
@ApplicationScoped
public class RulesRole {

    private static final Logger LOG = Logger.getLogger(RulesRole.class);

    private final RulesConfig config;
    private final Optional<String> bootstrapServers;
    private final Set<Role> roles;
    private final AlertStore store;
    private final RuleRepository repository;
    private final RuleRegistry registry;
    private final HealthStore healthStore;

    private RulesConsumer consumer;
    private AlertPublisher publisher;
    private ScheduledExecutorService reloader;

    @Inject
    public RulesRole(DataSource dataSource, RulesConfig config,
                     @ConfigProperty(name = "vigil.kafka.bootstrap-servers") Optional<String> bootstrapServers,
                     @ConfigProperty(name = Role.CONFIG_KEY, defaultValue = Role.ALL) String roles) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.roles = Role.parse(roles);
        this.store = new AlertStore(dataSource);
        this.repository = new RuleRepository(dataSource);
        this.healthStore = new HealthStore(dataSource);
        this.registry = new RuleRegistry(config.files().orElse(List.of()), config.defaults(), repository);
    }

    void onStart(@Observes StartupEvent event) throws SQLException {
        store.ensureSchema();
        repository.ensureSchema();
        healthStore.ensureSchema();
        registry.refresh();
        if (!roles.contains(Role.RULES)) {
            LOG.infof("rules role not enabled (%s); alert tables only", Role.CONFIG_KEY);
            return;
        }
        String servers = bootstrapServers.filter(s -> !s.isBlank()).orElseThrow(() -> new IllegalStateException(
                "the rules role needs vigil.kafka.bootstrap-servers; set it, or leave rules out of " + Role.CONFIG_KEY));
        reloader = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "vigil-rules-reload");
            t.setDaemon(true);
            return t;
        });
        long every = config.reloadInterval().toMillis();
        reloader.scheduleWithFixedDelay(() -> {
            try {
                registry.refresh();
            } catch (RuntimeException e) {
                LOG.errorf(e, "rules: reloading failed; the rules in force stay");
            }
        }, every, every, TimeUnit.MILLISECONDS);
        publisher = new AlertPublisher(servers, config.alertsTopic());
        var settings = new RulesConsumer.Settings(servers, config.samplesTopic(), config.consumerGroup(), config.tick(),
                config.warmup(), config.historyRetention());
        consumer = new RulesConsumer(settings, store, healthStore, publisher, registry::snapshot, System::currentTimeMillis);
        consumer.start();
        LOG.infof("rules role started: %d rules, group %s, tick %s", registry.snapshot().rules().size(),
                config.consumerGroup(), config.tick());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (reloader != null) {
            reloader.shutdownNow();
        }
        if (consumer != null) {
            consumer.close();
        }
        if (publisher != null) {
            publisher.close();
        }
    }

    public RuleRegistry registry() {
        return registry;
    }

    public RuleRepository repository() {
        return repository;
    }

    public HealthStore healthStore() {
        return healthStore;
    }

    /** Null where the role does not run. */
    public RulesConsumer consumer() {
        return consumer;
    }
}
