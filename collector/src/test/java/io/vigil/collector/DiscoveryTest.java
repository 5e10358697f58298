package io.vigil.collector;

import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;
import io.vigil.model.Secret;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduler's side of discovery, with scrapers that name members as a Redis master names its
 * replicas or a Sentinel its masters (the real Galera cluster is discovered in GaleraScrapeTest).
 */
class DiscoveryTest {

    /** What each address names when scraped: address → members. */
    private final Map<String, List<Scraper.Peer>> names = new ConcurrentHashMap<>();
    private final List<SampleBatch> published = new CopyOnWriteArrayList<>();
    private final SamplePublisher publisher = new SamplePublisher() {
        @Override
        public void publish(SampleBatch batch) {
            published.add(batch);
        }

        @Override
        public void close() {
        }
    };

    private Scraper.Factory factory(TargetKind kind) {
        return new Scraper.Factory() {
            @Override
            public TargetKind kind() {
                return kind;
            }

            @Override
            public Scraper create(Target target) {
                return new Scraper() {
                    @Override
                    public List<Reading> scrape() {
                        return List.of(Reading.gauge("redis_master", 1));
                    }

                    @Override
                    public List<Peer> peers() {
                        return names.getOrDefault(target.address(), List.of());
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        };
    }

    private static Scraper.Peer redis(String address) {
        return new Scraper.Peer(TargetKind.REDIS, address);
    }

    @Test
    void aSentinelRegisteredAloneBringsItsMastersAndTheirReplicasOnceEach() throws Exception {
        names.put("10.0.0.9:26379", List.of(redis("10.0.0.1:6379")));
        names.put("10.0.0.1:6379", List.of(redis("10.0.0.2:6379"), redis("10.0.0.3:6379")));
        // A replica names nothing; the second replica names the first (as a chained replica would): no double.
        names.put("10.0.0.3:6379", List.of(redis("10.0.0.2:6379")));
        var seed = new Target("cache", TargetKind.REDIS_SENTINEL, "10.0.0.9:26379", "cache", "", Secret.of("pw"),
                Duration.ofMillis(200), Duration.ofMillis(150), Labels.of("team", "dba"), true);

        try (var scheduler = new ScrapeScheduler(List.of(factory(TargetKind.REDIS_SENTINEL), factory(TargetKind.REDIS)), publisher)) {
            scheduler.start(List.of(seed));
            await(() -> scheduler.targetIds().size() == 4);
            Thread.sleep(600); // more rounds: still four

            assertThat(scheduler.targetIds()).containsExactlyInAnyOrder("cache", "cache~10.0.0.1:6379", "cache~10.0.0.2:6379",
                    "cache~10.0.0.3:6379");
            Target replica = scheduler.target("cache~10.0.0.3:6379").orElseThrow();
            assertThat(replica.kind()).isEqualTo(TargetKind.REDIS);
            assertThat(replica.cluster()).isEqualTo("cache");
            assertThat(replica.password().reveal()).isEqualTo("pw");
            assertThat(replica.labels().asMap()).containsEntry("team", "dba").containsEntry("discovered_by", "cache");
            await(() -> published.stream().anyMatch(b -> b.targetId().equals("cache~10.0.0.2:6379") && up(b) == 1));

            // A member its peers stop naming (it died) is kept, and scraped, not dropped.
            names.put("10.0.0.1:6379", List.of(redis("10.0.0.2:6379")));
            names.remove("10.0.0.3:6379");
            Thread.sleep(600);
            assertThat(scheduler.targetIds()).contains("cache~10.0.0.3:6379");

            // Defined by hand, a member replaces the discovered one at its address.
            scheduler.put(new Target("cache-replica-2", TargetKind.REDIS, "10.0.0.2:6379", "cache", "", Secret.of("pw"),
                    Duration.ofMillis(200), Duration.ofMillis(150), Labels.EMPTY));
            Thread.sleep(600);
            assertThat(scheduler.targetIds()).contains("cache-replica-2").doesNotContain("cache~10.0.0.2:6379");

            // Removing the seed removes what it found, and only that.
            assertThat(scheduler.remove("cache")).isTrue();
            assertThat(scheduler.targetIds()).containsExactly("cache-replica-2");
        }
    }

    @Test
    void withoutDiscoveryTheNamedMembersAreNotScraped() throws Exception {
        names.put("10.0.0.1:6379", List.of(redis("10.0.0.2:6379")));
        var plain = new Target("solo", TargetKind.REDIS, "10.0.0.1:6379", "c", "", Secret.NONE, Duration.ofMillis(100),
                Duration.ofMillis(80), Labels.EMPTY);
        try (var scheduler = new ScrapeScheduler(List.of(factory(TargetKind.REDIS)), publisher)) {
            scheduler.start(List.of(plain));
            await(() -> published.size() >= 3);
            assertThat(scheduler.targetIds()).containsExactly("solo");
        }
    }

    private static double up(SampleBatch b) {
        return b.samples().stream().filter(s -> s.metric().equals("up")).mapToDouble(Sample::value).findFirst().orElse(-1);
    }

    private static void await(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(20);
        }
    }
}
