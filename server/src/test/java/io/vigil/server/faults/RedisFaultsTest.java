package io.vigil.server.faults;

import io.vigil.model.AlertState;
import io.vigil.model.Labels;
import io.vigil.model.Secret;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import io.vigil.rules.AlertSnapshot;
import io.vigil.rules.health.ClusterHealth;
import io.vigil.rules.health.HealthStatus;
import io.vigil.testbed.RedisSentinelGroup;
import io.vigil.testbed.ServiceInstance;
import io.vigil.testbed.WithServices;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.vigil.server.faults.AlertHarness.change;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis master + replica + Sentinel on loopback: the master is killed, Sentinel promotes the
 * replica in about 2 s; the default pack says so (RedisReplicaPromoted) and health goes from red
 * (no master) to serving again on the promoted replica.
 */
@WithServices(RedisSentinelGroup.class)
class RedisFaultsTest {

    private final RedisSentinelGroup redis;

    RedisFaultsTest(RedisSentinelGroup redis) {
        this.redis = redis;
    }

    private Target target(String id, ServiceInstance on, TargetKind kind, String password) {
        return new Target(id, kind, on.address(), "cache-faults", "", Secret.of(password), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Labels.EMPTY);
    }

    private static ClusterHealth health(AlertHarness h) {
        return h.health().stream().filter(c -> c.cluster().equals("cache-faults")).findFirst().orElse(null);
    }

    @Test
    void aKilledMasterIsAFailoverAlertAndTheClusterServesAgainOnThePromotedReplica() throws Exception {
        try (var h = new AlertHarness(AlertHarness.defaultsWith("rules: []"))) {
            h.scrape(List.of(target("cache-m", redis.master(), TargetKind.REDIS, redis.password()),
                    target("cache-r", redis.replica(), TargetKind.REDIS, redis.password()),
                    target("cache-s", redis.sentinel(), TargetKind.REDIS_SENTINEL, "")));
            h.run(Duration.ofSeconds(3));
            assertThat(health(h)).isNotNull().satisfies(c -> assertThat(c.status()).isIn(HealthStatus.GREEN, HealthStatus.YELLOW));
            assertThat(h.events()).noneMatch(e -> e.state() == AlertState.FIRING);

            redis.kill(redis.master());
            AlertSnapshot promoted = h.await("RedisReplicaPromoted", Duration.ofSeconds(30), change("RedisReplicaPromoted", AlertState.FIRING));
            assertThat(promoted.labels().get("target")).isEqualTo("cache-r");
            assertThat(promoted.annotations().get("summary")).isEqualTo("Redis " + redis.replica().address() + " was promoted to master");

            h.run(Duration.ofSeconds(2));
            ClusterHealth after = health(h);
            assertThat(after.status()).isEqualTo(HealthStatus.YELLOW);
            assertThat(after.reason()).startsWith("master cache-r (" + redis.replica().address() + ") serves; cache-m (")
                    .contains("down");
            // The replica link alert does not outlive the promotion: the promoted server has no master link.
            assertThat(h.events()).noneMatch(e -> e.rule().equals("RedisReplicaLinkDown") && e.state() == AlertState.FIRING
                    && "cache-r".equals(e.labels().get("target")));
        }
    }
}
