package io.vigil.notifier;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vigil.model.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;

/**
 * Wires the notifier into the application. The outbox table is ensured in every process (the
 * delivery log is read by the API wherever it runs); the delivery worker runs only where
 * {@code vigil.roles} includes {@code notifier}.
 */
@ApplicationScoped
public class NotifierRole {

    private static final Logger LOG = Logger.getLogger(NotifierRole.class);

    private final DataSource dataSource;
    private final NotifierConfig config;
    private final Set<Role> roles;
    private Outbox outbox;
    private DeliveryWorker worker;

    @Inject
    public NotifierRole(DataSource dataSource, NotifierConfig config,
                        @ConfigProperty(name = Role.CONFIG_KEY, defaultValue = Role.ALL) String roles) {
        this.dataSource = dataSource;
        this.config = config;
        this.roles = Role.parse(roles);
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    synchronized void start() {
        new OutboxSchema(dataSource).ensure();
        outbox = new Outbox(dataSource);
        if (!roles.contains(Role.NOTIFIER)) {
            LOG.infof("notifier role not enabled (%s); outbox table only", Role.CONFIG_KEY);
            return;
        }
        worker = new DeliveryWorker(outbox, NotifierAssembly.channels(config), NotifierAssembly.receivers(config),
                NotifierAssembly.worker(config), NotifierAssembly.rateLimiter(config), new SecureRandom());
        worker.start();
        LOG.infof("notifier delivery worker started (%d receivers configured)", config.receivers().size());
    }

    synchronized void stop() {
        if (worker != null) {
            worker.close();
            worker = null;
        }
    }

    /** The outbox, for enqueueing and the delivery log. */
    public synchronized Outbox outbox() {
        if (outbox == null) {
            throw new IllegalStateException("the notifier has not started yet");
        }
        return outbox;
    }

    public synchronized Optional<DeliveryWorker> worker() {
        return Optional.ofNullable(worker);
    }
}
