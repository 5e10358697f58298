package io.vigil.collector.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.vigil.collector.Reading;
import io.vigil.collector.ScrapeException;
import io.vigil.collector.Scraper;
import io.vigil.model.Target;

import java.util.List;

/** Scrapes a Redis Sentinel: its view of every master it monitors, from one {@code SENTINEL MASTERS}. */
public final class SentinelScraper implements Scraper {

    private final Target target;
    private final RedisLink<StatefulRedisSentinelConnection<String, String>> link;

    public SentinelScraper(Target target, ClientResources resources) {
        this.target = target;
        this.link = new RedisLink<>(target, resources, RedisClient::connectSentinel);
    }

    @Override
    public List<Reading> scrape() throws ScrapeException {
        try {
            return SentinelMetrics.read(link.connection().sync().masters());
        } catch (RuntimeException e) {
            close();
            throw RedisTargets.failure(target, e);
        }
    }

    @Override
    public void close() {
        link.close();
    }
}
