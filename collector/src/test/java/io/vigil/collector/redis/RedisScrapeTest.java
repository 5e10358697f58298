package io.vigil.collector.redis;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.vigil.collector.CounterRates;
import io.vigil.collector.Reading;
import io.vigil.collector.ScrapeException;
import io.vigil.collector.Scraper;
import io.vigil.model.Labels;
import io.vigil.model.Secret;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import io.vigil.testbed.RedisSentinelGroup;
import io.vigil.testbed.ServiceInstance;
import io.vigil.testbed.WithServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.vigil.collector.redis.RedisMetrics.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Against a real Redis 7.0 master, replica and Sentinel from the test bed (testbed.md 3). The
 * failover test runs last: the group cannot be put back as it was.
 */
@WithServices(RedisSentinelGroup.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisScrapeTest {

    private static final ClientResources RESOURCES = DefaultClientResources.builder().ioThreadPoolSize(2).build();
    private final RedisSentinelGroup redis;

    RedisScrapeTest(RedisSentinelGroup redis) {
        this.redis = redis;
    }

    @AfterAll
    static void shutDownClients() {
        RESOURCES.shutdown();
    }

    private Target target(ServiceInstance on, TargetKind kind, String password) {
        return new Target("redis-" + on.port(), kind, on.address(), "testbed", "", Secret.of(password),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Labels.EMPTY);
    }

    private RedisScraper server(ServiceInstance on) {
        return new RedisScraper(target(on, TargetKind.REDIS, redis.password()), RESOURCES);
    }

    private SentinelScraper sentinel() {
        return new SentinelScraper(target(redis.sentinel(), TargetKind.REDIS_SENTINEL, ""), RESOURCES);
    }

    private static Map<String, Double> values(List<Reading> readings) {
        var out = new HashMap<String, Double>();
        readings.forEach(r -> out.put(r.labels().equals(Labels.EMPTY) ? r.metric()
                : r.metric() + "/" + String.join(",", r.labels().asMap().values()), r.value()));
        return out;
    }

    private static Map<String, Double> scrapeUntil(Scraper scraper, Predicate<Map<String, Double>> done, Duration within)
            throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        Map<String, Double> last = Map.of();
        while (System.nanoTime() < deadline) {
            try {
                last = values(scraper.scrape());
                if (done.test(last)) {
                    return last;
                }
            } catch (ScrapeException e) {
                // mid-failover the server may refuse for a moment; the deadline decides
            }
            Thread.sleep(100);
        }
        return last;
    }

    @Test
    @Order(1)
    void theMasterReportsItsReplicaKeysAndTheHitRatioOfTheInterval() throws Exception {
        try (var master = server(redis.master())) {
            var rates = new CounterRates();
            rates.apply(master.scrape(), System.currentTimeMillis());
            redis.cli(redis.master(), "set", "vigil:hit", "1");
            redis.cli(redis.master(), "get", "vigil:hit");
            redis.cli(redis.master(), "get", "vigil:miss");
            Thread.sleep(20); // two scrapes in the same millisecond would make no interval
            var samples = rates.apply(master.scrape(), System.currentTimeMillis());
            var m = new HashMap<String, Double>();
            samples.forEach(s -> m.put(s.labels().equals(Labels.EMPTY) ? s.metric()
                    : s.metric() + "/" + String.join(",", s.labels().asMap().values()), s.value()));

            assertThat(m).containsEntry(MASTER, 1.0)
                    .containsEntry(CONNECTED_REPLICAS, 1.0)
                    .containsEntry(KEYSPACE_HIT_RATIO, 0.5) // one hit, one miss: nothing else reads keys here
                    .containsEntry(RDB_LAST_BGSAVE_OK, 1.0)
                    .containsEntry(AOF_LAST_WRITE_OK, 1.0)
                    .containsKeys(CONNECTED_CLIENTS, MEMORY_USED, INSTANTANEOUS_OPS, COMMANDS, EVICTED_KEYS, EXPIRED_KEYS,
                            REPLICA_OFFSET_LAG + "/127.0.0.1:" + redis.replica().port())
                    .doesNotContainKeys(MASTER_LINK_UP, MEMORY_MAX); // no maxmemory on the test bed
            assertThat(m.get(KEYS + "/db0")).isGreaterThanOrEqualTo(1);
            assertThat(m.get(COMMANDS)).isPositive();
            assertThat(m.get(REPLICA_OFFSET_LAG + "/127.0.0.1:" + redis.replica().port())).isNotNegative();
            // What discovery takes from the master: its replica.
            assertThat(master.peers()).containsExactly(new Scraper.Peer(TargetKind.REDIS, "127.0.0.1:" + redis.replica().port()));
        }
        try (var sentinel = sentinel()) {
            sentinel.scrape();
            assertThat(sentinel.peers()).containsExactly(new Scraper.Peer(TargetKind.REDIS, "127.0.0.1:" + redis.master().port()));
        }
    }

    @Test
    @Order(2)
    void theReplicaReportsItsLinkUp() throws Exception {
        try (var replica = server(redis.replica())) {
            assertThat(values(replica.scrape())).containsEntry(MASTER, 0.0).containsEntry(MASTER_LINK_UP, 1.0)
                    .doesNotContainKey(CONNECTED_REPLICAS);
        }
    }

    @Test
    @Order(3)
    void theSentinelSeesItsMasterUpWithOneReplica() throws Exception {
        try (var sentinel = sentinel()) {
            assertThat(values(sentinel.scrape())).containsEntry(SENTINEL_MASTER_OK + "/mymaster", 1.0)
                    .containsEntry(SENTINEL_MASTER_REPLICAS + "/mymaster", 1.0)
                    .containsEntry(SENTINEL_MASTER_SENTINELS + "/mymaster", 1.0)
                    .containsEntry(SENTINEL_QUORUM + "/mymaster", 1.0)
                    .containsEntry(SENTINEL_FAILOVER_IN_PROGRESS + "/mymaster", 0.0);
        }
    }

    @Test
    @Order(4)
    void aWrongPasswordFailsTheScrapeWithoutShowingThePassword() {
        String wrong = "Not-the-pw-4711";
        try (var scraper = new RedisScraper(target(redis.master(), TargetKind.REDIS, wrong), RESOURCES)) {
            assertThatThrownBy(scraper::scrape).isInstanceOf(ScrapeException.class)
                    .hasMessageContaining("redis-" + redis.master().port())
                    .hasMessageContaining(redis.master().address())
                    .hasMessageContaining("WRONGPASS")
                    .satisfies(e -> assertThat(e.toString()).doesNotContain(wrong));
        }
    }

    @Test
    @Order(5)
    void anUnreachableServerFailsTheScrapeWithinTheTimeout() {
        var nothing = new ServiceInstance("redis", redis.master().dir(), "127.0.0.1", 1, List.of(1), Map.of());
        try (var scraper = server(nothing)) {
            long start = System.nanoTime();
            assertThatThrownBy(scraper::scrape).isInstanceOf(ScrapeException.class).hasMessageContaining("127.0.0.1:1");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    /** testbed.md 3: kill -9 the master; the sentinel promotes the replica in about 2 s. */
    @Test
    @Order(100)
    void whenTheMasterDiesTheSentinelPromotesTheReplica() throws Exception {
        var replicaAddress = redis.replica().address();
        try (var sentinel = sentinel(); var oldReplica = server(redis.replica())) {
            assertThat(values(oldReplica.scrape())).containsEntry(MASTER, 0.0);
            redis.kill(redis.master());

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            String masterAddress = "";
            while (System.nanoTime() < deadline && !masterAddress.equals(replicaAddress)) {
                Thread.sleep(100);
                masterAddress = String.join(":", redis.cli(redis.sentinel(), "sentinel", "get-master-addr-by-name",
                        RedisSentinelGroup.MASTER_NAME).strip().lines().toList());
            }
            assertThat(masterAddress).as("the master the sentinel names").isEqualTo(replicaAddress);

            assertThat(scrapeUntil(oldReplica, m -> m.getOrDefault(MASTER, -1.0) == 1.0, Duration.ofSeconds(5)))
                    .containsEntry(MASTER, 1.0)
                    .doesNotContainKey(MASTER_LINK_UP);
            assertThat(scrapeUntil(sentinel, m -> m.getOrDefault(SENTINEL_MASTER_OK + "/mymaster", -1.0) == 1.0, Duration.ofSeconds(5)))
                    .containsEntry(SENTINEL_MASTER_OK + "/mymaster", 1.0)
                    .containsEntry(SENTINEL_FAILOVER_IN_PROGRESS + "/mymaster", 0.0);
        }
    }
}
