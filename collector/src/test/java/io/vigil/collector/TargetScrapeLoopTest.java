package io.vigil.collector;

import io.vigil.collector.mysql.MySqlScraper;
import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;
import io.vigil.model.Secret;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.CountDownLatch;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** A target that is down or hung still yields a batch, with up = 0, within its timeout. */
class TargetScrapeLoopTest {

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<SampleBatch> published = new ArrayList<>();
    private final SamplePublisher publisher = new SamplePublisher() {
        @Override
        public void publish(SampleBatch batch) {
            published.add(batch);
        }

        @Override
        public void close() {
        }
    };

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private static Target target(int port, Duration timeout) {
        return new Target("db-" + port, TargetKind.MYSQL, "127.0.0.1:" + port, "pay", "vigil", Secret.of("pw"),
                Duration.ofSeconds(10), timeout, Labels.of("team", "dba"));
    }

    private static double value(SampleBatch batch, String metric) {
        return batch.samples().stream().filter(s -> s.metric().equals(metric)).mapToDouble(Sample::value).findFirst().orElseThrow();
    }

    @Test
    void aRefusedConnectionIsDownWithTheTargetsLabels() throws IOException {
        int closedPort;
        try (var s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        var target = target(closedPort, Duration.ofSeconds(2));
        var loop = new TargetScrapeLoop(target, new MySqlScraper(target), publisher, threads, () -> 1_000L);

        SampleBatch batch = loop.tick();

        assertThat(value(batch, "up")).isZero();
        assertThat(reason(batch)).isEqualTo("unreachable");
        assertThat(batch.labels().asMap()).containsEntry("cluster", "pay").containsEntry("team", "dba")
                .containsEntry("instance", "127.0.0.1:" + closedPort).containsEntry("kind", "mysql");
        assertThat(batch.timestampMillis()).isEqualTo(1_000L);
        assertThat(published).containsExactly(batch);
    }

    @Test
    void aServerThatAcceptsButNeverAnswersIsDownAfterTheTimeoutAndDoesNotPileUp() throws Exception {
        try (var silent = new ServerSocket(0)) {
            var accepted = new ArrayList<Socket>();
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            var target = target(silent.getLocalPort(), Duration.ofMillis(500));
            var loop = new TargetScrapeLoop(target, new MySqlScraper(target), publisher, threads, System::currentTimeMillis);

            SampleBatch first = loop.tick();
            assertThat(value(first, "up")).isZero();
            assertThat(reason(first)).isEqualTo("timeout");
            assertThat(value(first, "scrape_duration_seconds")).isBetween(0.4, 5.0);

            SampleBatch second = loop.tick();
            assertThat(value(second, "up")).isZero();
            assertThat(reason(second)).isIn("timeout", "hung");
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void seriesThatDisappearGetAStalenessMarkerOnce() {
        var target = target(3306, Duration.ofSeconds(2));
        var script = new java.util.ArrayDeque<List<Reading>>(List.of(
                List.of(Reading.gauge("mysql_threads_running", 4), Reading.gauge("mysql_replication_lag_seconds", 1)),
                List.of(Reading.gauge("mysql_threads_running", 5))));
        Scraper scripted = new Scraper() {
            @Override
            public List<Reading> scrape() throws ScrapeException {
                if (script.isEmpty()) {
                    throw new ScrapeException("target went away");
                }
                return script.poll();
            }

            @Override
            public void close() {
            }
        };
        var loop = new TargetScrapeLoop(target, scripted, publisher, threads, System::currentTimeMillis);

        loop.tick();
        SampleBatch channelGone = loop.tick();
        assertThat(Sample.isStaleMarker(value(channelGone, "mysql_replication_lag_seconds"))).isTrue();
        assertThat(value(channelGone, "mysql_threads_running")).isEqualTo(5);

        SampleBatch down = loop.tick();
        assertThat(value(down, "up")).isZero();
        assertThat(Sample.isStaleMarker(value(down, "mysql_threads_running"))).isTrue();
        assertThat(down.samples()).extracting(Sample::metric).doesNotContain("mysql_replication_lag_seconds");

        SampleBatch stillDown = loop.tick();
        assertThat(stillDown.samples()).extracting(Sample::metric).containsExactlyInAnyOrder("up", "scrape_duration_seconds", "scrape_error");
        assertThat(reason(stillDown)).isEqualTo("error");
    }

    @Test
    void whenEveryScrapeSlotIsTakenAScrapeWaitsAtMostItsTimeoutThenReportsTheCollectorBusy() throws Exception {
        var slots = new Semaphore(1);
        var release = new CountDownLatch(1);
        Scraper blocking = new Scraper() {
            @Override
            public List<Reading> scrape() {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return List.of(Reading.gauge("mysql_threads_running", 3));
            }

            @Override
            public void close() {
            }
        };
        Scraper quick = new Scraper() {
            @Override
            public List<Reading> scrape() {
                return List.of(Reading.gauge("mysql_threads_running", 1));
            }

            @Override
            public void close() {
            }
        };
        var slow = new TargetScrapeLoop(target(1, Duration.ofMillis(300)), blocking, publisher, threads, System::currentTimeMillis, slots);
        var other = new TargetScrapeLoop(target(2, Duration.ofMillis(300)), quick, publisher, threads, System::currentTimeMillis, slots);

        assertThat(value(slow.tick(), "up")).as("times out, still holding the only slot").isZero();
        SampleBatch busy = other.tick();
        assertThat(value(busy, "up")).isZero();
        assertThat(reason(busy)).isEqualTo("busy");

        release.countDown(); // the slow scrape ends and gives its slot back
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (slots.availablePermits() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        SampleBatch fine = other.tick();
        assertThat(value(fine, "up")).isOne();
        assertThat(fine.samples()).filteredOn(s -> s.metric().equals("scrape_error"))
                .singleElement().satisfies(s -> assertThat(Sample.isStaleMarker(s.value())).as("the error series ends").isTrue());
        assertThat(slots.availablePermits()).isOne();
    }

    private static String reason(SampleBatch batch) {
        return batch.samples().stream().filter(s -> s.metric().equals("scrape_error") && !Sample.isStaleMarker(s.value()))
                .map(s -> s.labels().get("reason")).findFirst().orElseThrow(() -> new AssertionError("no scrape_error in " + batch));
    }

    @Test
    void aRetiredTargetEndsItsSeriesWithStalenessMarkersAfterItsLastScrapeAndNeverTicksAgain() throws IOException {
        int closedPort;
        try (var s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        var target = target(closedPort, Duration.ofSeconds(2));
        var never = new TargetScrapeLoop(target, new MySqlScraper(target), publisher, threads, () -> 1_000L);
        assertThat(never.retire()).as("nothing to end before the first scrape").isNull();

        var loop = new TargetScrapeLoop(target, new MySqlScraper(target), publisher, threads, () -> 1_000L);
        loop.tick();
        SampleBatch end = loop.retire();

        // Same clock reading as the last scrape: the marker must still come strictly after it.
        assertThat(end.timestampMillis()).isEqualTo(1_001L);
        assertThat(end.samples()).extracting(Sample::metric).contains("up", "scrape_duration_seconds");
        assertThat(end.samples()).allSatisfy(s -> assertThat(Sample.isStaleMarker(s.value())).isTrue());
        assertThat(loop.tick()).isNull();
        assertThat(loop.retire()).isNull();
    }
}
