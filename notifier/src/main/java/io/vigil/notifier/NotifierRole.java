package io.vigil.notifier;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vigil.model.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.vigil.notifier.dispatch.AckLinks;
import io.vigil.notifier.dispatch.AlertEventsConsumer;
import io.vigil.notifier.dispatch.AlertIntake;
import io.vigil.notifier.dispatch.DispatchLoop;
import io.vigil.notifier.dispatch.DispatchSchema;
import io.vigil.notifier.dispatch.EscalationStepper;
import io.vigil.notifier.dispatch.Escalations;
import io.vigil.notifier.dispatch.GroupFlusher;
import io.vigil.notifier.dispatch.SilenceStore;
import io.vigil.notifier.routing.RoutingSource;

import javax.sql.DataSource;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Wires the notifier into the application. The outbox and dispatch tables are ensured in every
 * process (the delivery log and silences are served by the API wherever it runs); the alert
 * consumer, the dispatch loop and the delivery worker run only where {@code vigil.roles} includes
 * {@code notifier}.
 */
@ApplicationScoped
public class NotifierRole {

    private static final Logger LOG = Logger.getLogger(NotifierRole.class);

    private final DataSource dataSource;
    private final NotifierConfig config;
    private final Set<Role> roles;
    private final Optional<String> bootstrapServers;
    private Outbox outbox;
    private SilenceStore silences;
    private Escalations escalations;
    private AckLinks ackLinks;
    private Optional<TwilioInbound> twilioInbound = Optional.empty();
    private RoutingSource routing;
    private DeliveryWorker worker;
    private DispatchLoop dispatch;
    private AlertEventsConsumer consumer;
    private ScheduledExecutorService reloader;
    /** Expired silences are pruned hourly; the routing file is looked at every 10 s. */
    private long nextPrune;

    @Inject
    public NotifierRole(DataSource dataSource, NotifierConfig config,
                        @ConfigProperty(name = Role.CONFIG_KEY, defaultValue = Role.ALL) String roles,
                        @ConfigProperty(name = "vigil.kafka.bootstrap-servers") Optional<String> bootstrapServers) {
        this.dataSource = dataSource;
        this.config = config;
        this.roles = Role.parse(roles);
        this.bootstrapServers = bootstrapServers.filter(s -> !s.isBlank());
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    synchronized void start() {
        new OutboxSchema(dataSource).ensure();
        new DispatchSchema(dataSource).ensure();
        outbox = new Outbox(dataSource);
        silences = new SilenceStore(dataSource);
        escalations = new Escalations(dataSource);
        ackLinks = AckLinks.load(dataSource, config.externalUrl());
        twilioInbound = buildTwilioInbound();
        routing = new RoutingSource(config.routesFile(), config.receivers().keySet());
        if (!roles.contains(Role.NOTIFIER)) {
            LOG.infof("notifier role not enabled (%s); notifier tables only", Role.CONFIG_KEY);
            return;
        }
        Receivers receivers = NotifierAssembly.receivers(config);
        worker = new DeliveryWorker(outbox, NotifierAssembly.channels(config), receivers,
                NotifierAssembly.worker(config), NotifierAssembly.rateLimiter(config), new SecureRandom());
        worker.start();
        var flusher = new GroupFlusher(dataSource, routing, receivers, config.externalUrl());
        var stepper = new EscalationStepper(dataSource, routing, receivers, config.externalUrl(), ackLinks);
        dispatch = new DispatchLoop(flusher, stepper, config.dispatch().pollInterval(), worker::wakeUp);
        dispatch.start();
        if (bootstrapServers.isPresent()) {
            consumer = new AlertEventsConsumer(new AlertEventsConsumer.Settings(bootstrapServers.get(), config.dispatch().topic(),
                    config.dispatch().group()), new AlertIntake(dataSource, routing), dispatch::wakeUp);
            consumer.start();
        } else {
            LOG.warnf("notifier: vigil.kafka.bootstrap-servers is not set: alert events are not consumed, only queued notifications are sent");
        }
        reloader = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "vigil-notifier-housekeeping");
            t.setDaemon(true);
            return t;
        });
        reloader.scheduleWithFixedDelay(this::housekeeping, 10, 10, TimeUnit.SECONDS);
        LOG.infof("notifier started: %d receivers, routing from %s", config.receivers().size(),
                config.routesFile().map(Object::toString).orElse("the defaults"));
    }

    private void housekeeping() {
        try {
            routing.refresh();
            long now = System.currentTimeMillis();
            if (now >= nextPrune) {
                silences.prune();
                nextPrune = now + TimeUnit.HOURS.toMillis(1);
            }
        } catch (RuntimeException e) {
            LOG.warnf("notifier: housekeeping failed: %s", e.getMessage());
        }
    }

    synchronized void stop() {
        if (reloader != null) {
            reloader.shutdownNow();
            reloader = null;
        }
        if (consumer != null) {
            consumer.close();
            consumer = null;
        }
        if (dispatch != null) {
            dispatch.close();
            dispatch = null;
        }
        if (worker != null) {
            worker.close();
            worker = null;
        }
    }

    /** Silences, for the API. */
    public synchronized SilenceStore silences() {
        if (silences == null) {
            throw new IllegalStateException("the notifier has not started yet");
        }
        return silences;
    }

    /** Escalations and their acknowledgement, for the API. */
    public synchronized Escalations escalations() {
        if (escalations == null) {
            throw new IllegalStateException("the notifier has not started yet");
        }
        return escalations;
    }

    /** Verifies acknowledgement links. */
    public synchronized AckLinks ackLinks() {
        if (ackLinks == null) {
            throw new IllegalStateException("the notifier has not started yet");
        }
        return ackLinks;
    }

    /** Replies and key presses from Twilio; empty when no Twilio account is configured. */
    public synchronized Optional<TwilioInbound> twilioInbound() {
        return twilioInbound;
    }

    private Optional<TwilioInbound> buildTwilioInbound() {
        var t = config.twilio();
        if (t.accountSid().isEmpty() || t.authToken().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TwilioInbound(t.authToken().get(), t.smsReplyUrl().toString(), t.voiceAckUrl().toString(), escalations(),
                this::receiversWithPhone, name -> Optional.ofNullable(config.receivers().get(name))
                        .map(r -> Language.of(r.language())).orElse(Language.EN_US)));
    }

    /** The receivers whose phone is {@code e164}: who an SMS reply comes from. */
    public List<String> receiversWithPhone(String e164) {
        return config.receivers().entrySet().stream().filter(e -> e.getValue().phone().map(p -> p.equals(e164)).orElse(false))
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** The routing in force, and the problems of a refused reload. */
    public synchronized RoutingSource routing() {
        if (routing == null) {
            throw new IllegalStateException("the notifier has not started yet");
        }
        return routing;
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

    public synchronized Optional<DispatchLoop> dispatch() {
        return Optional.ofNullable(dispatch);
    }

    public synchronized Optional<AlertEventsConsumer> consumer() {
        return Optional.ofNullable(consumer);
    }
}
