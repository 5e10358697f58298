package io.vigil.collector.redis;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The event loops and timers all Redis and Sentinel scrapers share: each Lettuce client would
 * otherwise start its own thread pools, a few per target.
 */
@ApplicationScoped
public class RedisClientResources {

    private ClientResources resources;

    public synchronized ClientResources get() {
        if (resources == null) {
            // Scrapes are short and infrequent: a couple of I/O threads serve hundreds of targets.
            resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        }
        return resources;
    }

    @PreDestroy
    public synchronized void close() {
        if (resources != null) {
            resources.shutdown();
            resources = null;
        }
    }
}
