package io.vigil.notifier.dispatch;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Flushes due groups and pages due escalation levels: every {@code interval}, and at once when the
 * alert consumer stored events (a {@code group_wait: 0s} route is then notified within
 * milliseconds). Queued notifications wake the delivery worker. Any number of instances may run
 * this loop against one database.
 */
public final class DispatchLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DispatchLoop.class);
    static final int BATCH = 100;

    private final GroupFlusher flusher;
    private final EscalationStepper escalations;
    private final Duration interval;
    private final Runnable onNotified;
    private final Object signal = new Object();
    private final AtomicLong notifications = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private boolean woken;
    private volatile boolean running = true;
    private Thread thread;

    public DispatchLoop(GroupFlusher flusher, EscalationStepper escalations, Duration interval, Runnable onNotified) {
        this.flusher = flusher;
        this.escalations = escalations;
        this.interval = interval;
        this.onNotified = onNotified;
    }

    public synchronized void start() {
        thread = new Thread(this::loop, "vigil-notifier-dispatch");
        thread.setDaemon(true);
        thread.start();
    }

    public void wakeUp() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void loop() {
        while (running) {
            boolean more = false;
            try {
                GroupFlusher.Result r = flusher.flushDue(BATCH);
                // Escalations after the flush: a group's first notification starts its paging at once.
                int pages = escalations.stepDue(BATCH);
                if (r.notifications() + pages > 0) {
                    notifications.addAndGet(r.notifications() + pages);
                    onNotified.run();
                }
                more = r.groups() == BATCH || pages == BATCH;
            } catch (DispatchException e) {
                if (failures.incrementAndGet() % 30 == 1) {
                    LOG.warnf("notifier: %s (will retry; %d failures so far)", e.getMessage(), failures.get());
                }
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                LOG.errorf(e, "notifier: flushing alert groups failed");
            }
            if (!more) {
                await();
            }
        }
    }

    private void await() {
        synchronized (signal) {
            long deadline = System.nanoTime() + interval.toNanos();
            while (!woken && running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    signal.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
            woken = false;
        }
    }

    /** Notifications queued so far by this instance. */
    public long notifications() {
        return notifications.get();
    }

    public long failures() {
        return failures.get();
    }

    @Override
    public void close() {
        running = false;
        wakeUp();
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
