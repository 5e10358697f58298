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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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

    private record Running(TargetScrapeLoop loop, ScheduledFuture<?> schedule) {
    }

    public ScrapeScheduler(List<Scraper.Factory> factories, SamplePublisher publisher) {
        this.factories = factories.stream().collect(Collectors.toMap(Scraper.Factory::kind, Function.identity()));
        this.publisher = publisher;
    }

    /** Starts scraping the targets; each starts at a random offset within its interval to spread the load. */
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
        var loop = new TargetScrapeLoop(target, factory.create(target), publisher, scrapeThreads, System::currentTimeMillis);
        long intervalMs = target.interval().toMillis();
        long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, Math.min(intervalMs, 1000)));
        var schedule = ticks.scheduleAtFixedRate(() -> scrapeThreads.execute(() -> tickSafely(loop)), jitter, intervalMs, TimeUnit.MILLISECONDS);
        running.put(target.id(), new Running(loop, schedule));
    }

    /** Stops scraping the target and marks its series stale; false when it was not scraped. */
    public synchronized boolean remove(String targetId) {
        return stop(targetId);
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
        old.schedule().cancel(false);
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
