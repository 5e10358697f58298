package io.vigil.collector;

import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs every target's scrape loop at its interval. Scrapes run on virtual threads: a thousand
 * targets waiting on slow servers cost memory, not a thread pool sized for the worst case.
 */
public final class ScrapeScheduler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ScrapeScheduler.class);

    private final Map<TargetKind, Scraper.Factory> factories;
    private final SamplePublisher publisher;
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(r -> {
        var t = new Thread(r, "vigil-scrape-ticks");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService scrapeThreads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("vigil-scrape-", 0).factory());
    private final Map<String, Running> running = new HashMap<>();
    private final ScrapeLateness lateness = new ScrapeLateness(10_000);
    private final Semaphore permits;
    public static final int DEFAULT_MAX_CONCURRENT_SCRAPES = 512;

    private record Running(TargetScrapeLoop loop, ScheduledFuture<?> first, ScheduledFuture<?> regular) {
    }

    public ScrapeScheduler(List<Scraper.Factory> factories, SamplePublisher publisher) {
        this(factories, publisher, DEFAULT_MAX_CONCURRENT_SCRAPES);
    }

    /**
     * @param maxConcurrentScrapes scrapes in flight at once across all targets; a scrape that finds no
     *                             slot free within its target's timeout reports the target down as "collector busy"
     */
    public ScrapeScheduler(List<Scraper.Factory> factories, SamplePublisher publisher, int maxConcurrentScrapes) {
        this.factories = factories.stream().collect(Collectors.toMap(Scraper.Factory::kind, Function.identity()));
        this.publisher = publisher;
        this.permits = new Semaphore(maxConcurrentScrapes);
    }

    /** Starts scraping the targets; each at its own phase of its interval, to spread the load. */
    public synchronized void start(List<Target> targets) {
        for (Target target : targets) {
            put(target);
        }
        LOG.infof("scraping %d target(s)", targets.size());
    }

    /** Starts scraping the target, or restarts it with its new definition when it already runs. */
    public synchronized void put(Target target) {
        var factory = factories.get(target.kind());
        if (factory == null) {
            throw new IllegalArgumentException("target " + target.id() + ": no scraper for kind " + target.kind().id());
        }
        stop(target.id());
        var loop = new TargetScrapeLoop(target, factory.create(target), publisher, scrapeThreads, System::currentTimeMillis, permits);
        long intervalMs = target.interval().toMillis();
        // The first scrape comes within a second, so a new target shows data at once. The regular ones then
        // run at a random phase of the interval, half to one and a half intervals later: a thousand targets
        // spread over the whole interval, not into a burst at its start.
        var random = ThreadLocalRandom.current();
        long firstDelay = random.nextLong(Math.max(1, Math.min(intervalMs, 1000)));
        long phaseDelay = firstDelay + intervalMs / 2 + random.nextLong(Math.max(1, intervalMs));
        long now = System.nanoTime();
        long firstDue = now + TimeUnit.MILLISECONDS.toNanos(firstDelay);
        long phaseDue = now + TimeUnit.MILLISECONDS.toNanos(phaseDelay);
        var first = ticks.schedule(() -> run(loop, firstDue), firstDelay, TimeUnit.MILLISECONDS);
        var ticksSoFar = new AtomicLong();
        var regular = ticks.scheduleAtFixedRate(() -> run(loop, phaseDue + ticksSoFar.getAndIncrement() * TimeUnit.MILLISECONDS.toNanos(intervalMs)),
                phaseDelay, intervalMs, TimeUnit.MILLISECONDS);
        running.put(target.id(), new Running(loop, first, regular));
    }

    /** Stops scraping the target and marks its series stale; false when it was not scraped. */
    public synchronized boolean remove(String targetId) {
        return stop(targetId);
    }

    /** How late the last 10,000 scrapes started against their schedule. */
    public ScrapeLateness.Snapshot lateness() {
        return lateness.snapshot();
    }

    /** The ids being scraped now. */
    public synchronized Set<String> targetIds() {
        return Set.copyOf(running.keySet());
    }

    /** The definition being scraped under the id, if any. */
    public synchronized Optional<Target> target(String targetId) {
        return Optional.ofNullable(running.get(targetId)).map(r -> r.loop().target());
    }

    private boolean stop(String targetId) {
        Running old = running.remove(targetId);
        if (old == null) {
            return false;
        }
        old.first().cancel(false);
        old.regular().cancel(false);
        // Off the caller's thread: a tick in progress holds the loop for up to the target's timeout.
        scrapeThreads.execute(() -> {
            try {
                old.loop().retire();
            } catch (RuntimeException e) {
                // At shutdown the publisher may close first; the series then end by the lookback instead.
                LOG.debugf("target %s: staleness markers not published: %s", targetId, e.getMessage());
            } finally {
                old.loop().close();
            }
        });
        return true;
    }

    /** On a virtual thread: the ticks thread only hands out work, so one slow target delays no other. */
    private void run(TargetScrapeLoop loop, long dueNanos) {
        scrapeThreads.execute(() -> {
            lateness.record(System.nanoTime() - dueNanos);
            tickSafely(loop);
        });
    }

    private static void tickSafely(TargetScrapeLoop loop) {
        try {
            loop.tick();
        } catch (RuntimeException e) {
            // A bug in one target's loop must not cancel its schedule (scheduleAtFixedRate stops on a throw).
            LOG.errorf(e, "scrape of target %s failed unexpectedly", loop.target().id());
        }
    }

    @Override
    public synchronized void close() {
        ticks.shutdownNow();
        scrapeThreads.shutdownNow();
        running.values().forEach(r -> r.loop().close());
        running.clear();
    }
}
