package io.vigil.collector;

import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
    private final List<TargetScrapeLoop> loops = new ArrayList<>();

    public ScrapeScheduler(List<Scraper.Factory> factories, SamplePublisher publisher) {
        this.factories = factories.stream().collect(Collectors.toMap(Scraper.Factory::kind, Function.identity()));
        this.publisher = publisher;
    }

    /** Starts scraping the targets; each starts at a random offset within its interval to spread the load. */
    public synchronized void start(List<Target> targets) {
        for (Target target : targets) {
            var factory = factories.get(target.kind());
            if (factory == null) {
                throw new IllegalArgumentException("target " + target.id() + ": no scraper for kind " + target.kind().id());
            }
            var loop = new TargetScrapeLoop(target, factory.create(target), publisher, scrapeThreads, System::currentTimeMillis);
            loops.add(loop);
            long intervalMs = target.interval().toMillis();
            long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, Math.min(intervalMs, 1000)));
            ticks.scheduleAtFixedRate(() -> scrapeThreads.execute(() -> tickSafely(loop)), jitter, intervalMs, TimeUnit.MILLISECONDS);
        }
        LOG.infof("scraping %d target(s)", targets.size());
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
        loops.forEach(TargetScrapeLoop::close);
        loops.clear();
    }
}
