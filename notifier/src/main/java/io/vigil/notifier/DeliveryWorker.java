package io.vigil.notifier;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Executors;
import java.util.random.RandomGenerator;

/**
 * Sends what the outbox holds. Each round claims a batch of due rows (pending, or sending with an
 * expired lease) and delivers them concurrently, one virtual thread per row.
 *
 * <h2>What "never twice" can mean</h2>
 * A row is marked {@code sending} (with a lease) and committed <em>before</em> the provider is called,
 * and marked {@code sent} after. If the process dies between the two, no database can tell whether
 * the call happened; the lease expires and another worker takes the row over. Then:
 * <ul>
 *   <li>channels that can ask their provider ({@link Channel#recover}; Twilio SMS lists the messages
 *       sent to the number since the lost attempt began) record the existing delivery instead of
 *       sending again, or send when the provider has no trace of it, so a death <em>before</em> the
 *       call never leads to a duplicate, and a death after it neither;</li>
 *   <li>channels whose provider deduplicates ({@link Channel#deduplicatesOnKey}: the webhook's
 *       {@code Idempotency-Key}) are resent with the same key;</li>
 *   <li>the others (mail, WeChat, voice) are resent: a page is not lost, but it may arrive twice.
 *       The row's {@code note} says so, so the delivery log shows which deliveries were uncertain.</li>
 * </ul>
 * A worker that merely outlived its lease cannot record over the new owner: writes are fenced by
 * the claim's token.
 */
public final class DeliveryWorker implements AutoCloseable {

    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);

    private final Outbox outbox;
    private final Channels channels;
    private final Receivers receivers;
    private final WorkerSettings settings;
    private final RateLimiter rateLimiter;
    private final RandomGenerator random;
    private final Object wake = new Object();
    private volatile boolean running;
    private Thread loop;

    public DeliveryWorker(Outbox outbox, Channels channels, Receivers receivers, WorkerSettings settings,
                          RateLimiter rateLimiter, RandomGenerator random) {
        this.outbox = outbox;
        this.channels = channels;
        this.receivers = receivers;
        this.settings = settings;
        this.rateLimiter = rateLimiter;
        this.random = random;
    }

    /** Claims one batch and delivers it; returns how many rows were claimed. */
    public int runOnce() {
        List<ClaimedRow> rows = outbox.claim(settings.batchSize(), settings.lease());
        if (rows.size() == 1) {
            process(rows.getFirst());
        } else if (!rows.isEmpty()) {
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                rows.forEach(row -> executor.submit(() -> process(row)));
            }
        }
        return rows.size();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        loop = Thread.ofPlatform().name("vigil-notifier-delivery").daemon(true).start(this::loop);
    }

    private void loop() {
        Duration idle = settings.pollInterval();
        while (running) {
            int claimed = 0;
            try {
                claimed = runOnce();
                idle = settings.pollInterval();
            } catch (RuntimeException e) {
                LOG.warnf("notification delivery round failed, retrying in %s: %s", idle, e.getMessage());
                idle = idle.multipliedBy(2).compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : idle.multipliedBy(2);
            }
            if (claimed == settings.batchSize()) {
                continue; // more may be due right now
            }
            synchronized (wake) {
                try {
                    if (running) {
                        wake.wait(Math.max(1, idle.toMillis()));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Asks the loop to look for due rows now (after an enqueue) instead of at the next poll. */
    /** Notifications a provider accepted, by this instance. */
    public long delivered() {
        return delivered.get();
    }

    /** Attempts that failed and will be retried on the same channel. */
    public long retried() {
        return retried.get();
    }

    /** Rows given up on a channel (failed over to the receiver's next one, or failed for good). */
    public long failed() {
        return failed.get();
    }

    public void wakeUp() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    void process(ClaimedRow row) {
        Optional<Receiver> found = receivers.find(row.receiver());
        if (found.isEmpty()) {
            String error = "unknown receiver " + row.receiver() + " (outbox=" + row.id() + ")";
            LOG.warn(error);
            outbox.fail(row, error, Optional.empty());
            return;
        }
        Receiver receiver = found.get();
        Notification n;
        try {
            n = new Notification(row.id(), row.idempotencyKey(), AlertGroupJson.fromJson(row.payload()), receiver, row.channel());
        } catch (RuntimeException e) {
            String error = "unreadable payload in outbox row " + row.id() + ": " + e.getMessage();
            LOG.error(error);
            outbox.fail(row, error, Optional.empty());
            return;
        }
        Optional<Channel> channel = channels.get(row.channel());
        if (channel.isEmpty()) {
            String error = n.context() + ": channel " + row.channel().id() + " is not configured";
            LOG.warn(error);
            outbox.fail(row, error, receiver.after(row.channel()));
            return;
        }
        String note = null;
        if (row.recovered()) {
            Recovery recovery = channel.get().recover(n, row.previousSendingSince());
            switch (recovery.outcome()) {
                case DELIVERED -> {
                    note = "lease expired mid-send; the provider confirms the earlier attempt was delivered, not resent";
                    LOG.infof("%s: %s", n.context(), note);
                    outbox.markSent(row, recovery.providerId(), note);
                    return;
                }
                case NOT_DELIVERED -> note = "lease expired before the provider was called (it has no record); sent";
                case UNKNOWN -> note = channel.get().deduplicatesOnKey()
                        ? "lease expired mid-send; resent with the same Idempotency-Key"
                        : "uncertain: lease expired mid-send and the provider cannot be asked; resent, a duplicate is possible";
            }
            LOG.warnf("%s: %s", n.context(), note);
        }
        Duration wait = rateLimiter.tryAcquire(receiver.name());
        if (!wait.isZero()) {
            LOG.debugf("%s: rate limited, deferred by %s", n.context(), wait);
            outbox.defer(row, wait, note);
            return;
        }
        try {
            DeliveryResult result = channel.get().deliver(n);
            delivered.incrementAndGet();
            if (!outbox.markSent(row, result.providerId(), note)) {
                LOG.warnf("%s: delivered (provider id %s) but the lease was lost before recording it", n.context(), result.providerId());
            }
        } catch (DeliveryException e) {
            onFailure(row, receiver, e, note);
        } catch (RuntimeException e) {
            // A bug in a channel: retry like a transient failure, it may be data-dependent and pass on another channel.
            onFailure(row, receiver, new DeliveryException(n.context() + ": unexpected " + e.getClass().getName()
                    + ": " + e.getMessage(), true, null), note);
        }
    }

    private void onFailure(ClaimedRow row, Receiver receiver, DeliveryException e, String note) {
        if (e.retryable() && row.attempts() < settings.retry().maxAttempts()) {
            Duration delay = settings.retry().delay(row.attempts(), random);
            LOG.warnf("%s (attempt %d of %d, retrying in %s)", e.getMessage(), row.attempts(), settings.retry().maxAttempts(), delay);
            outbox.retryLater(row, delay, e.getMessage(), note);
            retried.incrementAndGet();
            return;
        }
        failed.incrementAndGet();
        Optional<ChannelKind> next = receiver.after(row.channel());
        LOG.errorf("%s (attempt %d, %s; %s)", e.getMessage(), row.attempts(), e.retryable() ? "attempts exhausted" : "not retryable",
                next.map(k -> "failing over to " + k.id()).orElse("no further channel"));
        outbox.fail(row, e.getMessage(), next);
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = loop;
            loop = null;
        }
        wakeUp();
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
