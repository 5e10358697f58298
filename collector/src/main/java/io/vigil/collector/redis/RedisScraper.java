package io.vigil.collector.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.vigil.collector.Reading;
import io.vigil.collector.ScrapeException;
import io.vigil.collector.Scraper;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;

import java.util.List;

/**
 * Scrapes a Redis server (master or replica) with one {@code INFO} per scrape over a connection
 * kept between scrapes. Plain {@code INFO} has every section read here (server, clients, memory,
 * persistence, stats, replication, keyspace) and leaves out commandstats and latencystats, which
 * can be long and are not used.
 */
public final class RedisScraper implements Scraper {

    private volatile List<Peer> peers = List.of();

    private final Target target;
    private final RedisInfoMetrics metrics = new RedisInfoMetrics();
    private final RedisLink<StatefulRedisConnection<String, String>> link;

    public RedisScraper(Target target, ClientResources resources) {
        this.target = target;
        this.link = new RedisLink<>(target, resources, RedisClient::connect);
    }

    @Override
    public List<Reading> scrape() throws ScrapeException {
        String info;
        try {
            info = link.connection().sync().info();
        } catch (RuntimeException e) {
            close();
            throw RedisTargets.failure(target, e);
        }
        RedisInfo parsed = RedisInfo.parse(info);
        peers = parsed.replicas().stream().map(r -> new Peer(TargetKind.REDIS, r.address())).toList();
        return metrics.read(parsed);
    }

    /** A master's replicas, as it lists them. */
    @Override
    public List<Peer> peers() {
        return peers;
    }

    @Override
    public void close() {
        link.close();
        // The gap may hide a restart: the next interval must not span it.
        metrics.reset();
    }
}
