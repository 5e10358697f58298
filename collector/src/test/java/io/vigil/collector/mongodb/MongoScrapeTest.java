package io.vigil.collector.mongodb;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vigil.collector.Reading;
import io.vigil.collector.ScrapeException;
import io.vigil.model.Secret;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The connection path through the real MongoDB driver: against a MongoDB wire-protocol server in the
 * JVM (no mongod can run here), a port that refuses, and a socket that accepts and never answers.
 */
class MongoScrapeTest {

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
    }

    @Test
    void aWireProtocolServerIsScrapedThroughTheDriver() throws Exception {
        MongoServer server = new MongoServer(new MemoryBackend());
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        InetSocketAddress at = server.getLocalAddress();
        closeables.add(server::shutdownNow);
        var scraper = scraper("127.0.0.1:" + at.getPort(), Duration.ofSeconds(3));

        List<Reading> first = scraper.scrape();
        List<Reading> second = scraper.scrape(); // the client is kept: a second scrape on the same connection

        // The server counts the scraper's own connection, and only it: the client keeps one between scrapes.
        assertThat(first).filteredOn(r -> r.metric().equals(MongoMetrics.CONNECTIONS_CURRENT)).singleElement()
                .satisfies(r -> assertThat(r.value()).isEqualTo(1.0));
        assertThat(second).filteredOn(r -> r.metric().equals(MongoMetrics.CONNECTIONS_CURRENT)).singleElement()
                .satisfies(r -> assertThat(r.value()).isEqualTo(1.0));
        // Not a replica-set member: no replica-set metrics.
        assertThat(first).extracting(Reading::metric).doesNotContain(MongoMetrics.MEMBER_STATE, MongoMetrics.OPLOG_WINDOW);
    }

    @Test
    void aRefusedPortIsAClearErrorWithinTheTimeout() throws Exception {
        int port;
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        var scraper = scraper("127.0.0.1:" + port, Duration.ofMillis(800));
        long start = System.nanoTime();
        assertThatThrownBy(scraper::scrape).isInstanceOf(ScrapeException.class)
                .hasMessage("target mongo-1 (127.0.0.1:" + port + "): not reachable within 800 ms (refused, unresolvable or not answering)");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aServerThatAcceptsAndNeverAnswersTimesOutAndTheSecretNeverShows() throws Exception {
        var silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        var held = new ArrayList<Socket>();
        Thread acceptor = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    held.add(silent.accept()); // read nothing, answer nothing
                }
            } catch (Exception ignored) {
                // closed at the end of the test
            }
        });
        closeables.add(() -> {
            silent.close();
            for (Socket s : held) {
                s.close();
            }
            acceptor.join(1000);
        });
        var target = new Target("mongo-1", TargetKind.MONGODB, "127.0.0.1:" + silent.getLocalPort(), "rs0", "vigil",
                Secret.of("hunter2-secret"), Duration.ofSeconds(10), Duration.ofMillis(800), null);
        var scraper = new MongoScraper(target);
        closeables.add(scraper);

        assertThatThrownBy(scraper::scrape).isInstanceOf(ScrapeException.class)
                .hasMessageStartingWith("target mongo-1 (127.0.0.1:" + silent.getLocalPort() + "): ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2-secret"));
    }

    private MongoScraper scraper(String address, Duration timeout) {
        var s = new MongoScraper(new Target("mongo-1", TargetKind.MONGODB, address, "rs0", null, null, Duration.ofSeconds(10), timeout, null));
        closeables.add(s);
        return s;
    }
}
