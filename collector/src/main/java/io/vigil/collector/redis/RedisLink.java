package io.vigil.collector.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.resource.ClientResources;
import io.vigil.model.Target;

import java.util.function.BiFunction;

/**
 * One target's Lettuce client and connection, opened on first use and kept between scrapes.
 * The thread pools live in the shared {@link ClientResources}: closing drops only what this
 * target opened.
 */
final class RedisLink<C extends StatefulConnection<String, String>> {

    private final Target target;
    private final ClientResources resources;
    private final BiFunction<RedisClient, RedisURI, C> connect;
    private RedisClient client;
    private C connection;

    RedisLink(Target target, ClientResources resources, BiFunction<RedisClient, RedisURI, C> connect) {
        this.target = target;
        this.resources = resources;
        this.connect = connect;
    }

    C connection() {
        if (connection == null) {
            if (client == null) {
                client = RedisClient.create(resources);
                client.setOptions(RedisTargets.options(target));
            }
            try {
                connection = connect.apply(client, RedisTargets.uri(target));
            } catch (RuntimeException e) {
                if (!lostHandshakeFailure(e)) {
                    throw e;
                }
                // Lettuce 6 race: a handshake that fails fast (WRONGPASS on loopback) can tear the channel down before
                // the connect listener looks for its handshake handler, and the real reason is lost. Once more tells it.
                connection = connect.apply(client, RedisTargets.uri(target));
            }
        }
        return connection;
    }

    private static boolean lostHandshakeFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalStateException && "RedisHandshakeHandler not registered".equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    void close() {
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
