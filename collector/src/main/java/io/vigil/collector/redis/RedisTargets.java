package io.vigil.collector.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.protocol.ProtocolVersion;
import io.vigil.collector.ScrapeException;
import io.vigil.model.Target;

import java.time.Duration;

/** How a Redis or Sentinel target is reached with Lettuce, and how its failures are told to an operator. */
final class RedisTargets {

    private RedisTargets() {
    }

    static RedisURI uri(Target target) {
        String address = target.address();
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("target " + target.id() + ": address must be host:port, got " + address);
        }
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(address.substring(colon + 1));
        var builder = RedisURI.builder().withHost(host).withPort(port).withTimeout(timeout(target))
                .withClientName("vigil");
        if (!target.password().isEmpty()) {
            // With a user: Redis 6 ACL (AUTH user password); without: the requirepass password alone.
            if (target.user().isEmpty()) {
                builder.withPassword(target.password().reveal().toCharArray());
            } else {
                builder.withAuthentication(target.user(), target.password().reveal());
            }
        }
        return builder.build();
    }

    /** {@code host:port}, with IPv6 hosts in brackets. */
    static String address(String host, String port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    static ClientOptions options(Target target) {
        return ClientOptions.builder()
                // A dead server must show as down at the next scrape, not be retried in the background.
                .autoReconnect(false)
                // RESP2 works from Redis 2 to 7 and in Sentinel; RESP3's HELLO would fail on Redis 5.
                .protocolVersion(ProtocolVersion.RESP2)
                .socketOptions(SocketOptions.builder().connectTimeout(timeout(target)).keepAlive(true).build())
                .build();
    }

    private static Duration timeout(Target target) {
        return target.timeout().isPositive() ? target.timeout() : Duration.ofMillis(1);
    }

    /** The failure and its causes in one line, with the target named and the password masked. */
    static ScrapeException failure(Target target, RuntimeException e) {
        var message = new StringBuilder();
        for (Throwable t = e; t != null && message.length() < 500; t = t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().lines().findFirst().orElse("");
            if (!message.isEmpty() && message.indexOf(m) >= 0) {
                continue;
            }
            message.append(message.isEmpty() ? "" : ": ").append(m);
        }
        String text = message.toString();
        String password = target.password().reveal();
        if (!password.isEmpty()) {
            text = text.replace(password, "******");
        }
        // The cause stays out: its messages were already masked here, and its toString would not be.
        return new ScrapeException("target " + target.id() + " (" + target.address() + "): " + text);
    }
}
