package io.vigil.collector;

import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import org.jboss.logging.Logger;

import java.time.Duration;
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
    /** Members found through discovery, by id: the target that found them first, and when one last named them. */
    private final Map<String, Discovered> discovered = new HashMap<>();
    static final String DISCOVERED_BY = "discovered_by";
    static final Duration FORGET_AFTER = Duration.ofHours(24);

    private record Discovered(String root, long lastNamedMillis) {
    }
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
        if (target.labels().get(DISCOVERED_BY) == null) {
            // Defined by the user now: it replaces the member discovered at the same address.
            idScraping(target.kind(), target.address()).filter(discovered::containsKey).ifPresent(id -> {
                discovered.remove(id);
                stop(id);
            });
        }
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

    /** Stops scraping the target, and the members discovered through it, and marks their series stale; false when it was not scraped. */
    public synchronized boolean remove(String targetId) {
        for (var e : List.copyOf(discovered.entrySet())) {
            if (e.getValue().root().equals(targetId)) {
                discovered.remove(e.getKey());
                stop(e.getKey());
            }
        }
        discovered.remove(targetId);
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

    /**
     * Scrapes the members a discovering target named that nobody scrapes yet, as targets of their own:
     * id {@code <seed>~<address>}, the seed's cluster, credentials, interval and labels plus
     * {@code discovered_by}, discovering in turn (a Sentinel's masters name their replicas). A member
     * no longer named is kept for {@link #FORGET_AFTER}: a node that died is exactly the one its peers
     * stop naming, and it must show as down, not vanish.
     */
    private synchronized void adopt(Target seed, List<Scraper.Peer> peers) {
        if (!running.containsKey(seed.id())) {
            return; // removed while its scrape ran
        }
        String root = seed.labels().get(DISCOVERED_BY) != null ? seed.labels().get(DISCOVERED_BY) : seed.id();
        long now = System.currentTimeMillis();
        for (Scraper.Peer peer : peers) {
            Optional<String> scrapedAs = idScraping(peer.kind(), peer.address());
            if (scrapedAs.isPresent()) {
                discovered.computeIfPresent(scrapedAs.get(), (id, d) -> new Discovered(d.root(), now));
                continue;
            }
            String id = root + "~" + peer.address();
            var member = new Target(id, peer.kind(), peer.address(), seed.cluster(), seed.user(), seed.password(), seed.interval(),
                    seed.timeout(), seed.labels().with(DISCOVERED_BY, root), true);
            put(member);
            discovered.put(id, new Discovered(root, now));
            LOG.infof("target %s discovered through %s: scraping %s %s", id, seed.id(), peer.kind().id(), peer.address());
        }
        for (var e : List.copyOf(discovered.entrySet())) {
            if (e.getValue().root().equals(root) && now - e.getValue().lastNamedMillis() > FORGET_AFTER.toMillis()) {
                LOG.infof("target %s not named by %s for %s: no longer scraped", e.getKey(), root, FORGET_AFTER);
                discovered.remove(e.getKey());
                stop(e.getKey());
            }
        }
    }

    private Optional<String> idScraping(TargetKind kind, String address) {
        return running.entrySet().stream().filter(e -> e.getValue().loop().target().kind() == kind
                && e.getValue().loop().target().address().equals(address)).map(Map.Entry::getKey).findFirst();
    }

    /** On a virtual thread: the ticks thread only hands out work, so one slow target delays no other. */
    private void run(TargetScrapeLoop loop, long dueNanos) {
        scrapeThreads.execute(() -> {
            lateness.record(System.nanoTime() - dueNanos);
            tickSafely(loop);
        });
    }

    private void tickSafely(TargetScrapeLoop loop) {
        try {
            loop.tick();
            if (loop.target().discover()) {
                adopt(loop.target(), loop.peers());
            }
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
