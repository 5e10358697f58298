package io.vigil.collector.mysql;

import io.vigil.collector.CounterRates;
import io.vigil.collector.SamplePublisher;
import io.vigil.collector.ScrapeException;
import io.vigil.collector.ScrapeScheduler;
import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;
import io.vigil.model.Secret;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import io.vigil.testbed.Galera;
import io.vigil.testbed.WithServices;
import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.vigil.collector.mysql.GaleraMetrics.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Against a real three-node MariaDB Galera cluster from the test bed (testbed.md 2c). */
@WithServices(Galera.class)
class GaleraScrapeTest {

    private final Galera galera;

    GaleraScrapeTest(Galera galera) {
        this.galera = galera;
    }

    private MySqlScraper scraper(int node) {
        var target = new Target("galera-" + node, TargetKind.MYSQL, galera.node(node).address(), "testbed", galera.rootUser(),
                Secret.NONE, Duration.ofSeconds(1), Duration.ofSeconds(3), Labels.EMPTY);
        return new MySqlScraper(target);
    }

    private static Map<String, Double> gauges(MySqlScraper scraper) throws ScrapeException {
        return scraper.scrape().stream().filter(r -> !r.counter())
                .collect(Collectors.toMap(r -> r.metric(), r -> r.value(), (a, b) -> b));
    }

    /** Scrapes until the gauges satisfy the condition or the deadline passes; returns the last scrape. */
    private static Map<String, Double> scrapeUntil(MySqlScraper scraper, Predicate<Map<String, Double>> condition,
                                                   Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        Map<String, Double> last = gauges(scraper);
        while (!condition.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            last = gauges(scraper);
        }
        return last;
    }

    @Test
    void oneNodeRegisteredWithDiscoveryBringsTheWholeCluster() throws Exception {
        var seed = new Target("pay-galera", TargetKind.MYSQL, galera.node(1).address(), "pay", galera.rootUser(), Secret.NONE,
                Duration.ofMillis(500), Duration.ofSeconds(3), Labels.of("service", "payments"), true);
        var published = new CopyOnWriteArrayList<SampleBatch>();
        SamplePublisher publisher = new SamplePublisher() {
            @Override
            public void publish(SampleBatch batch) {
                published.add(batch);
            }

            @Override
            public void close() {
            }
        };
        try (var scheduler = new ScrapeScheduler(List.of(new MySqlScraperFactory()), publisher)) {
            scheduler.start(List.of(seed));
            var expected = new TreeSet<String>();
            for (int node = 2; node <= Galera.NODES; node++) {
                expected.add("pay-galera~" + galera.node(node).address());
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!published.stream().filter(b -> b.samples().stream().anyMatch(x -> x.metric().equals("up") && x.value() == 1))
                    .map(SampleBatch::targetId).collect(Collectors.toSet()).containsAll(expected)
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            // The seed's own address is announced too, and is not scraped twice.
            assertThat(scheduler.targetIds()).containsExactlyInAnyOrderElementsOf(
                    Stream.concat(Stream.of("pay-galera"), expected.stream()).toList());
            assertThat(published).filteredOn(b -> b.targetId().startsWith("pay-galera~")).allSatisfy(b ->
                    assertThat(b.labels().asMap()).containsEntry("cluster", "pay").containsEntry("discovered_by", "pay-galera")
                            .containsEntry("service", "payments"));
        }
    }

    @Test
    void everyNodeOfAHealthyClusterIsAPrimarySyncedMemberOfThree() throws Exception {
        for (int node = 1; node <= Galera.NODES; node++) {
            try (var scraper = scraper(node)) {
                var m = gauges(scraper);
                assertThat(m).as("node %d", node)
                        .containsEntry(CLUSTER_SIZE, 3.0)
                        .containsEntry(CLUSTER_PRIMARY, 1.0)
                        .containsEntry(LOCAL_STATE, 4.0)
                        .containsEntry(LOCAL_STATE_SYNCED, 1.0)
                        .containsEntry(READY, 1.0)
                        .containsEntry(CONNECTED, 1.0)
                        .containsKeys(LOCAL_RECV_QUEUE, LOCAL_SEND_QUEUE);
            }
        }
    }

    @Test
    void theSurvivorsOfAKilledNodeSeeTwoAndStayPrimary() throws Exception {
        try (var one = scraper(1); var two = scraper(2)) {
            assertThat(gauges(one)).containsEntry(CLUSTER_SIZE, 3.0);
            galera.kill(3);
            try {
                // Noticed after evs.suspect_timeout (5 s on the test bed); allow three times that.
                var afterOne = scrapeUntil(one, m -> m.getOrDefault(CLUSTER_SIZE, -1.0) == 2.0, Duration.ofSeconds(15));
                var afterTwo = scrapeUntil(two, m -> m.getOrDefault(CLUSTER_SIZE, -1.0) == 2.0, Duration.ofSeconds(5));
                for (var m : List.of(afterOne, afterTwo)) {
                    assertThat(m).containsEntry(CLUSTER_SIZE, 2.0)
                            .containsEntry(CLUSTER_PRIMARY, 1.0)
                            .containsEntry(LOCAL_STATE_SYNCED, 1.0);
                }
            } finally {
                galera.restart(3);
            }
            assertThat(scrapeUntil(one, m -> m.getOrDefault(CLUSTER_SIZE, -1.0) == 3.0, Duration.ofSeconds(10)))
                    .containsEntry(CLUSTER_SIZE, 3.0);
        }
    }

    /** testbed.md 2c: a table lock on one node stalls its applier, its queue passes the limit, it sends flow control. */
    @Test
    void aNodeWhoseApplierIsBlockedSendsFlowControlAndPausesTheCluster() throws Exception {
        galera.sql(1, "CREATE DATABASE IF NOT EXISTS fc; CREATE TABLE IF NOT EXISTS fc.t "
                + "(id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(64)) ENGINE=InnoDB");
        try (var locked = scraper(2);
             var lockHolder = DriverManager.getConnection(galera.jdbcUrl(2), galera.rootUser(), "");
             var writer = DriverManager.getConnection(galera.jdbcUrl(1), galera.rootUser(), "")) {
            var rates = new CounterRates();
            rates.apply(locked.scrape(), System.currentTimeMillis());
            lockHolder.createStatement().execute("LOCK TABLES fc.t WRITE");
            // Its own thread, not the common pool, which has one thread on two cores.
            var inserts = new java.util.concurrent.FutureTask<Void>(() -> {
                try (var st = writer.prepareStatement("INSERT INTO fc.t (v) VALUES ('flow control')")) {
                    for (int i = 0; i < 200; i++) {
                        st.executeUpdate();
                    }
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException("inserts on node 1 failed", e);
                }
                return null;
            });
            Thread.ofPlatform().name("flow-control-inserts").start(inserts);
            double maxQueue = 0;
            double sent = 0;
            double paused = 0;
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while ((sent == 0 && paused == 0) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                    List<Sample> samples = rates.apply(locked.scrape(), System.currentTimeMillis());
                    for (Sample s : samples) {
                        switch (s.metric()) {
                            case FLOW_CONTROL_SENT -> sent = Math.max(sent, s.value());
                            case FLOW_CONTROL_PAUSED_RATIO -> paused = Math.max(paused, s.value());
                            case LOCAL_RECV_QUEUE -> maxQueue = Math.max(maxQueue, s.value());
                            default -> { }
                        }
                    }
                }
            } finally {
                lockHolder.createStatement().execute("UNLOCK TABLES");
            }
            inserts.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(maxQueue).as("write sets waiting on the locked node").isPositive();
            assertThat(sent > 0 || paused > 0).as("flow control sent/s %s, paused ratio %s", sent, paused).isTrue();
        }
    }
}
