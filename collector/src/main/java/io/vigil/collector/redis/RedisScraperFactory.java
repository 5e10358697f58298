package io.vigil.collector.redis;

import io.vigil.collector.Scraper;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class RedisScraperFactory implements Scraper.Factory {

    private final RedisClientResources resources;

    public RedisScraperFactory(RedisClientResources resources) {
        this.resources = resources;
    }

    @Override
    public TargetKind kind() {
        return TargetKind.REDIS;
    }

    @Override
    public Scraper create(Target target) {
        return new RedisScraper(target, resources.get());
    }
}
