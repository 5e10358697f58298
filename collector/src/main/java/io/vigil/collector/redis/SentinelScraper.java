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
    private final ClientResources resources;
    private RedisClient client;
    private StatefulRedisSentinelConnection<String, String> connection;

    public SentinelScraper(Target target, ClientResources resources) {
        this.target = target;
        this.resources = resources;
    }

    @Override
    public List<Reading> scrape() throws ScrapeException {
        try {
            return SentinelMetrics.read(connection().sync().masters());
        } catch (RuntimeException e) {
            close();
            throw RedisTargets.failure(target, e);
        }
    }

    private StatefulRedisSentinelConnection<String, String> connection() {
        if (connection == null) {
            if (client == null) {
                client = RedisClient.create(resources);
                client.setOptions(RedisTargets.options(target));
            }
            connection = client.connectSentinel(RedisTargets.uri(target));
        }
        return connection;
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.closeAsync();
            connection = null;
        }
        if (client != null) {
            client.shutdownAsync();
            client = null;
        }
    }
}
