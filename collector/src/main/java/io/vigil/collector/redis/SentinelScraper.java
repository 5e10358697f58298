package io.vigil.collector.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.vigil.collector.Reading;
import io.vigil.collector.ScrapeException;
import io.vigil.collector.Scraper;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;

import java.util.List;
import java.util.Map;

/** Scrapes a Redis Sentinel: its view of every master it monitors, from one {@code SENTINEL MASTERS}. */
public final class SentinelScraper implements Scraper {

    private volatile List<Peer> peers = List.of();

    /** The masters this Sentinel monitors (their replicas are found from them in turn). */
    @Override
    public List<Peer> peers() {
        return peers;
    }

    private final Target target;
    private final RedisLink<StatefulRedisSentinelConnection<String, String>> link;

    public SentinelScraper(Target target, ClientResources resources) {
        this.target = target;
        this.link = new RedisLink<>(target, resources, RedisClient::connectSentinel);
    }

    @Override
    public List<Reading> scrape() throws ScrapeException {
        try {
            List<Map<String, String>> masters = link.connection().sync().masters();
            peers = masters.stream().filter(m -> m.get("ip") != null && m.get("port") != null)
                    .map(m -> new Peer(TargetKind.REDIS, RedisTargets.address(m.get("ip"), m.get("port")))).toList();
            return SentinelMetrics.read(masters);
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
