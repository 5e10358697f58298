package io.vigil.logs.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.cat.indices.IndicesRecord;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Deletes the daily indices whose day is older than the retention: with {@code days = 7} on 2026-12-10
 * (UTC) the indices of 2026-12-03 and before go, those of 2026-12-04 on stay. Only names of the exact
 * daily form under Vigil's prefix are considered; anything else in the cluster is never touched.
 */
public final class IndexRetention {

    private static final Logger LOG = Logger.getLogger(IndexRetention.class);
    private static final int DELETE_CHUNK = 50;

    private final ElasticsearchClient client;
    private final IndexNames names;
    private final int days;
    private final Clock clock;

    public IndexRetention(ElasticsearchClient client, IndexNames names, int days, Clock clock) {
        if (days < 1) {
            throw new IllegalArgumentException("log retention must be at least 1 day, got " + days);
        }
        this.client = client;
        this.names = names;
        this.days = days;
        this.clock = clock;
    }

    /** Deletes the expired indices; returns their names. */
    public List<String> apply() throws IOException {
        LocalDate oldestKept = LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(days - 1L);
        var expired = new ArrayList<String>();
        for (LogIndex kind : LogIndex.values()) {
            for (IndicesRecord r : client.cat().indices(c -> c.index(names.pattern(kind))).valueBody()) {
                String index = r.index();
                if (index != null && names.day(kind, index).filter(day -> day.isBefore(oldestKept)).isPresent()) {
                    expired.add(index);
                }
            }
        }
        // A few dozen names per request keep the URL short after a long outage of the timer.
        for (int from = 0; from < expired.size(); from += DELETE_CHUNK) {
            var chunk = expired.subList(from, Math.min(expired.size(), from + DELETE_CHUNK));
            client.indices().delete(d -> d.index(chunk));
        }
        if (!expired.isEmpty()) {
            LOG.infof("deleted %d log indices older than %d days: %s", expired.size(), days, expired);
        }
        return expired;
    }
}
