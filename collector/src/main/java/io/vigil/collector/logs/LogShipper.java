package io.vigil.collector.logs;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs every source of this collector, each on a virtual thread of its own, so a slow file or an unreachable
 * database holds up only itself. While Kafka or a source fails, the source waits (doubling up to the
 * configured maximum) and tries again; the problem is logged once, when it begins, and its end once.
 */
public final class LogShipper implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LogShipper.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

    private final List<ShippingSource> sources;
    private final ShipperSettings settings;
    private final ShipperCounters counters;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();

    public LogShipper(List<? extends ShippingSource> sources, ShipperSettings settings, ShipperCounters counters) {
        this.sources = List.copyOf(sources);
        this.settings = settings;
        this.counters = counters;
    }

    public void start() {
        for (ShippingSource source : sources) {
            threads.add(Thread.ofVirtual().name("log-shipper " + source.describe()).start(() -> run(source)));
        }
    }

    public ShipperCounters counters() {
        return counters;
    }

    public int sources() {
        return sources.size();
    }

    private void run(ShippingSource source) {
        Duration backoff = FIRST_BACKOFF;
        String failing = null;
        while (stop.getCount() > 0) {
            try {
                boolean shipped = source.poll();
                if (failing != null) {
                    LOG.infof("%s: shipping again", source.describe());
                    failing = null;
                }
                backoff = FIRST_BACKOFF;
                if (!shipped && !pause(settings.pollInterval())) {
                    return;
                }
            } catch (ShipException | IOException | RuntimeException e) {
                if (e instanceof IOException || e instanceof RuntimeException) {
                    counters.readFailed();
                }
                String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                if (!message.equals(failing)) {
                    LOG.errorf("%s: %s; trying again, holding what is not shipped", source.describe(), message);
                    failing = message;
                }
                if (!pause(backoff)) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(settings.retryBackoffMax()) > 0
                        ? settings.retryBackoffMax() : backoff.multipliedBy(2);
            }
        }
    }

    /** Waits, or returns false at once when the shipper is closing. */
    private boolean pause(Duration d) {
        try {
            return !stop.await(d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        stop.countDown();
        // A send in flight ends within the producer's delivery timeout; shutdown waits 5 s in all, not per source.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (Thread t : threads) {
            try {
                if (!t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                    t.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        sources.forEach(ShippingSource::close);
    }
}
