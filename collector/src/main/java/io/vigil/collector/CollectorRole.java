package io.vigil.collector;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vigil.collector.logs.CheckpointStore;
import io.vigil.collector.logs.KafkaLogPublisher;
import io.vigil.collector.logs.LogShipper;
import io.vigil.collector.logs.LogShippers;
import io.vigil.collector.logs.LogsFile;
import io.vigil.collector.logs.ShipperSettings;
import io.vigil.model.Role;
import io.vigil.model.Target;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Starts scraping when this process has the collector role. */
@ApplicationScoped
public class CollectorRole {

    private static final Logger LOG = Logger.getLogger(CollectorRole.class);

    private final CollectorConfig config;
    private final String roles;
    private final String bootstrapServers;
    private final List<Scraper.Factory> factories;
    private final TargetSecrets secrets;
    private ScrapeScheduler scheduler;
    private KafkaTargetsConsumer targetsConsumer;
    private KafkaSamplePublisher publisher;
    private KafkaLogPublisher logPublisher;
    private LogShipper shipper;

    public CollectorRole(CollectorConfig config,
                         @ConfigProperty(name = Role.CONFIG_KEY, defaultValue = Role.ALL) String roles,
                         @ConfigProperty(name = "vigil.kafka.bootstrap-servers") String bootstrapServers,
                         Instance<Scraper.Factory> factories,
                         TargetSecrets secrets) {
        this.secrets = secrets;
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
            LOG.info("no targets file (vigil.collector.targets-file); scraping only targets managed through the API");
        }
        publisher = new KafkaSamplePublisher(bootstrapServers, config.samplesTopic());
        scheduler = new ScrapeScheduler(factories, publisher, config.maxConcurrentScrapes());
        scheduler.start(targets);
        var fileIds = targets.stream().map(Target::id).collect(java.util.stream.Collectors.toSet());
        targetsConsumer = new KafkaTargetsConsumer(bootstrapServers, config.targetsTopic(), config.targetsGroup(), scheduler, fileIds, secrets.cipher());
        targetsConsumer.start();
        config.logs().file().ifPresent(f -> startShipper(Path.of(f), targets));
    }

    private void startShipper(Path logsFile, List<Target> targets) {
        CollectorConfig.Logs c = config.logs();
        var plan = new LogsFile().load(logsFile, targets.stream().collect(Collectors.toMap(Target::id, Function.identity())));
        var settings = new ShipperSettings(c.batchMaxEntries(), c.batchMaxBytes(), c.maxQueryBytes(), c.pollInterval(),
                c.quietPeriod(), Math.min(1 << 20, c.maxEntryBytes()), c.maxEntryBytes(), c.retryBackoffMax(), c.rotationGrace());
        logPublisher = new KafkaLogPublisher(bootstrapServers, c.topic(), c.batchMaxBytes());
        try {
            shipper = LogShippers.build(plan, logPublisher, new CheckpointStore(Path.of(c.stateDir())), settings, c.startAt());
        } catch (IOException e) {
            logPublisher.close();
            throw new UncheckedIOException("cannot start the log shipper (checkpoints in " + c.stateDir() + ")", e);
        }
        shipper.start();
        LOG.infof("shipping %d log file(s) and the statement digests of %d target(s) to %s (checkpoints in %s)",
                plan.files().size(), plan.digests().size(), c.topic(), Path.of(c.stateDir()).toAbsolutePath());
    }

    /** The running scheduler (for Vigil's own metrics), empty where the collector role is off. */
    public java.util.Optional<ScrapeScheduler> scheduler() {
        return java.util.Optional.ofNullable(scheduler);
    }

    /** The running publisher (for Vigil's own metrics), empty where the collector role is off. */
    public java.util.Optional<KafkaSamplePublisher> publisher() {
        return java.util.Optional.ofNullable(publisher);
    }

    /** The running log shipper (for Vigil's own metrics), empty where it is not configured. */
    public java.util.Optional<LogShipper> shipper() {
        return java.util.Optional.ofNullable(shipper);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (shipper != null) {
            shipper.close();
        }
        if (logPublisher != null) {
            logPublisher.close();
        }
        if (targetsConsumer != null) {
            targetsConsumer.close();
        }
        if (scheduler != null) {
            scheduler.close();
        }
        if (publisher != null) {
            publisher.close();
        }
    }
}
