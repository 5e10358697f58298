package io.vigil.collector;

import io.vigil.model.Target;
import io.vigil.model.TargetKind;

import java.util.List;

/**
 * Reads one kind of target. One instance serves one target and may keep a connection open
 * between scrapes; the scheduler never calls {@link #scrape()} concurrently on one instance.
 */
public interface Scraper extends AutoCloseable {

    /**
     * One scrape. Must give up within the target's timeout.
     *
     * @throws ScrapeException with a message fit for an operator (never a password)
     */
    List<Reading> scrape() throws ScrapeException;

    /** A member of the same cluster that a target names, to be scraped as well when the target asks for discovery. */
    record Peer(TargetKind kind, String address) {
    }

    /**
     * The members this target named at its last successful scrape (the other Galera nodes, a master's
     * replicas, a Sentinel's masters); empty for kinds that name none.
     */
    default List<Peer> peers() {
        return List.of();
    }

    /** Drops any connection; the next scrape reconnects. Also called when a scrape timed out. */
    @Override
    void close();

    /** Creates the scraper of a target kind. */
    interface Factory {
        TargetKind kind();

        Scraper create(Target target);
    }
}
