package io.vigil.collector;

import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;
import io.vigil.model.Target;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Scrapes one target at each tick and publishes the result. Every tick publishes a batch with
 * {@code up} and {@code scrape_duration_seconds}, also when the target is down or hung: a
 * silent target must show as down, never as a gap that a dashboard draws as "fine".
 */
final class TargetScrapeLoop {

    private static final Logger LOG = Logger.getLogger(TargetScrapeLoop.class);
    static final String UP = "up";
    static final String SCRAPE_DURATION = "scrape_duration_seconds";
    /** 1 while the target is down, labelled with why; no series while it is up. */
    static final String SCRAPE_ERROR = "scrape_error";
    static final String REASON = "reason";

    private final Target target;
    private final Scraper scraper;
    private final SamplePublisher publisher;
    private final ExecutorService scrapeThreads;
    private final LongSupplier clock;
    private final CounterRates rates = new CounterRates();
    /** Series of the previous batch; those missing from the next one get a staleness marker. */
    private Set<SeriesKey> previous = Set.of();
    /** A scrape still running past its timeout (hung socket) blocks new ones rather than piling up. */
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final Semaphore permits;
    private volatile String lastError;
    private boolean retired;
    private long lastStart = Long.MIN_VALUE;

    TargetScrapeLoop(Target target, Scraper scraper, SamplePublisher publisher, ExecutorService scrapeThreads, LongSupplier clock) {
        this(target, scraper, publisher, scrapeThreads, clock, new Semaphore(Integer.MAX_VALUE));
    }

    /** @param permits scrapes in flight across the collector: one is held from the scrape's start to its end */
    TargetScrapeLoop(Target target, Scraper scraper, SamplePublisher publisher, ExecutorService scrapeThreads, LongSupplier clock,
                     Semaphore permits) {
        this.target = target;
        this.scraper = scraper;
        this.publisher = publisher;
        this.scrapeThreads = scrapeThreads;
        this.clock = clock;
        this.permits = permits;
    }

    Target target() {
        return target;
    }

    /** The members the target named at its last successful scrape. */
    List<Scraper.Peer> peers() {
        return scraper.peers();
    }

    /** One tick; blocks at most the target's timeout. Returns the published batch, null once retired. */
    synchronized SampleBatch tick() {
        if (retired) {
            return null;
        }
        long start = clock.getAsLong();
        lastStart = start;
        long startNanos = System.nanoTime();
        List<Reading> readings = null;
        String error;
        if (!inFlight.compareAndSet(false, true)) {
            error = "previous scrape still running after its " + target.timeout().toMillis() + " ms timeout";
        } else if (!acquirePermit()) {
            inFlight.set(false);
            error = "collector busy: no scrape slot free within " + target.timeout().toMillis()
                    + " ms (vigil.collector.max-concurrent-scrapes)";
        } else {
            Future<List<Reading>> future = scrapeThreads.submit(this::scrapeAndRelease);
            try {
                readings = future.get(target.timeout().toMillis(), TimeUnit.MILLISECONDS);
                error = null;
            } catch (TimeoutException e) {
                error = "scrape timed out after " + target.timeout().toMillis() + " ms";
            } catch (ExecutionException e) {
                error = e.getCause().getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = "collector stopping";
            }
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        var samples = new ArrayList<Sample>();
        if (readings != null) {
            samples.addAll(rates.apply(readings, start));
        } else {
            rates.reset();
        }
        if (error != null) {
            samples.add(new Sample(SCRAPE_ERROR, Labels.of(REASON, reason(error)), 1));
        }
        samples.addAll(staleMarkers(samples));
        samples.add(Sample.of(UP, readings != null ? 1 : 0));
        samples.add(Sample.of(SCRAPE_DURATION, seconds));
        logStateChange(error);
        var batch = new SampleBatch(target.id(), start, target.identityLabels(), samples);
        publisher.publish(batch);
        return batch;
    }

    private record SeriesKey(String metric, io.vigil.model.Labels labels) {
    }

    /**
     * Marks every series of the previous batch that this one lacks (target down, replication
     * channel gone, a counter reset) as stale, as Prometheus does, so queries stop showing its
     * last value at once rather than for the whole lookback window.
     */
    private List<Sample> staleMarkers(List<Sample> current) {
        var now = new HashSet<SeriesKey>();
        for (Sample s : current) {
            now.add(new SeriesKey(s.metric(), s.labels()));
        }
        var markers = new ArrayList<Sample>();
        for (SeriesKey gone : previous) {
            if (!now.contains(gone)) {
                markers.add(new Sample(gone.metric(), gone.labels(), Sample.STALE_NAN));
            }
        }
        previous = now;
        return markers;
    }

    /**
     * A small fixed set, so the label stays cheap to store and easy to alert on: the full message is in
     * the log line that names the target.
     */
    static String reason(String error) {
        String e = error.toLowerCase(Locale.ROOT);
        if (e.contains("collector busy")) {
            return "busy";
        }
        if (e.contains("still running")) {
            return "hung";
        }
        if (e.contains("access denied") || e.contains("authentication") || e.contains("wrongpass") || e.contains("noauth")
                || e.contains("invalid password")) {
            return "auth";
        }
        if (e.contains("timed out") || e.contains("timeout") || e.contains("no answer within") || e.contains("not reachable within")) {
            return "timeout";
        }
        if (e.contains("refused") || e.contains("communications link failure") || e.contains("unknown host")
                || e.contains("no route") || e.contains("unresolv") || e.contains("not a directory")) {
            return "unreachable";
        }
        return "error";
    }

    private boolean acquirePermit() {
        try {
            return permits.tryAcquire(target.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private List<Reading> scrapeAndRelease() throws ScrapeException {
        try {
            return scraper.scrape();
        } finally {
            // Held until the scrape really ends, past its timeout too: the limit bounds open connections.
            permits.release();
            inFlight.set(false);
        }
    }

    private void logStateChange(String error) {
        String previous = lastError;
        lastError = error;
        if (error != null && !error.equals(previous)) {
            LOG.warnf("target %s is down: %s", target.id(), error.startsWith("target ") ? error : error + " (" + target.address() + ")");
        } else if (error == null && previous != null) {
            LOG.infof("target %s is up again", target.id());
        }
    }

    /**
     * The target was removed or replaced: marks all its series stale, so queries stop showing
     * the last {@code up} at once instead of for the whole lookback window. No tick runs after.
     */
    synchronized SampleBatch retire() {
        if (retired) {
            return null;
        }
        retired = true;
        if (lastStart == Long.MIN_VALUE) {
            // Never scraped (e.g. added and deleted within one replay of vigil.targets): no series to end.
            return null;
        }
        var markers = new ArrayList<Sample>();
        for (SeriesKey s : previous) {
            markers.add(new Sample(s.metric(), s.labels(), Sample.STALE_NAN));
        }
        markers.add(new Sample(UP, io.vigil.model.Labels.EMPTY, Sample.STALE_NAN));
        markers.add(new Sample(SCRAPE_DURATION, io.vigil.model.Labels.EMPTY, Sample.STALE_NAN));
        // Strictly after the last scrape: a batch with the same stamp would count as a redelivery.
        long at = Math.max(clock.getAsLong(), lastStart + 1);
        var batch = new SampleBatch(target.id(), at, target.identityLabels(), markers);
        publisher.publish(batch);
        return batch;
    }

    void close() {
        scraper.close();
    }
}
