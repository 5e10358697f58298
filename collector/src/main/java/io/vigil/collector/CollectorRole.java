package io.vigil.collector;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vigil.model.Role;
import io.vigil.model.Target;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.List;

/** Starts scraping when this process has the collector role. */
@ApplicationScoped
public class CollectorRole {

    private static final Logger LOG = Logger.getLogger(CollectorRole.class);

    private final CollectorConfig config;
    private final String roles;
    private final String bootstrapServers;
    private final List<Scraper.Factory> factories;
    private ScrapeScheduler scheduler;
    private KafkaSamplePublisher publisher;

    public CollectorRole(CollectorConfig config,
                         @ConfigProperty(name = Role.CONFIG_KEY, defaultValue = Role.ALL) String roles,
                         @ConfigProperty(name = "vigil.kafka.bootstrap-servers") String bootstrapServers,
                         Instance<Scraper.Factory> factories) {
        this.config = config;
        this.roles = roles;
        this.bootstrapServers = bootstrapServers;
        this.factories = factories.stream().toList();
    }

    void onStart(@Observes StartupEvent event) {
        if (!Role.parse(roles).contains(Role.COLLECTOR)) {
            return;
        }
        List<Target> targets = config.targetsFile().map(f -> new TargetsFile().load(Path.of(f))).orElse(List.of());
        if (targets.isEmpty()) {
            LOG.warn("collector role is on but no targets are configured (vigil.collector.targets-file)");
        }
        publisher = new KafkaSamplePublisher(bootstrapServers, config.samplesTopic());
        scheduler = new ScrapeScheduler(factories, publisher);
        scheduler.start(targets);
    }

    /** The running publisher (for Vigil's own metrics), empty where the collector role is off. */
    public java.util.Optional<KafkaSamplePublisher> publisher() {
        return java.util.Optional.ofNullable(publisher);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.close();
        }
        if (publisher != null) {
            publisher.close();
        }
    }
}
