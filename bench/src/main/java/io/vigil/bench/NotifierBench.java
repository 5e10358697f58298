package io.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Secret;
import io.vigil.model.Severity;
import io.vigil.notifier.ChannelKind;
import io.vigil.notifier.Channels;
import io.vigil.notifier.DeliveryWorker;
import io.vigil.notifier.HttpTimeouts;
import io.vigil.notifier.Language;
import io.vigil.notifier.MessageRenderer;
import io.vigil.notifier.Outbox;
import io.vigil.notifier.OutboxSchema;
import io.vigil.notifier.RateLimiter;
import io.vigil.notifier.Receiver;
import io.vigil.notifier.Receivers;
import io.vigil.notifier.RetryPolicy;
import io.vigil.notifier.WebhookChannel;
import io.vigil.notifier.WebhookFormat;
import io.vigil.notifier.WorkerSettings;
import io.vigil.notifier.dispatch.AckLinks;
import io.vigil.notifier.dispatch.AlertEventsConsumer;
import io.vigil.notifier.dispatch.AlertIntake;
import io.vigil.notifier.dispatch.DispatchLoop;
import io.vigil.notifier.dispatch.DispatchSchema;
import io.vigil.notifier.dispatch.EscalationStepper;
import io.vigil.notifier.dispatch.GroupFlusher;
import io.vigil.notifier.routing.RoutingConfig;
import io.vigil.notifier.routing.RoutingConfigParser;
import io.vigil.rules.AlertPublisher;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The notifier end to end on real Kafka and PostgreSQL, with a local webhook receiver:
 * <ol>
 * <li>dispatch latency: an alert event produced to {@code vigil.alerts} until its notification's HTTP
 *     request reaches the receiver, with {@code group_wait: 0s}; one new alert group per probe;</li>
 * <li>an alert storm: 5,000 alerts in 10 s across 50 clusters with the default grouping
 *     ({@code group_by: [alertname, cluster]}, {@code group_wait: 30s}): notifications sent, time until
 *     every alert has been notified, and the heap the notifier held.</li>
 * </ol>
 * Usage: {@code NotifierBench <kafka> <jdbc-url> <user> <probes>}
 */
public final class NotifierBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        String kafka = args[0];
        var ds = new PGSimpleDataSource();
        ds.setURL(args[1]);
        ds.setUser(args[2]);
        int probes = Integer.parseInt(args[3]);
        new OutboxSchema(ds).ensure();
        new DispatchSchema(ds).ensure();

        var arrivals = new ConcurrentHashMap<String, Long>();
        var requests = new AtomicInteger();
        var notified = ConcurrentHashMap.<String>newKeySet();
        HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        hook.createContext("/hook", exchange -> {
            long now = System.nanoTime();
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            requests.incrementAndGet();
            for (JsonNode a : body.path("alerts")) {
                String cluster = a.path("labels").path("cluster").asText();
                arrivals.putIfAbsent(cluster, now);
                notified.add(a.path("labels").path("instance").asText());
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        hook.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        hook.start();
        Receiver noc = Receiver.named("noc", Language.EN_US, ChannelKind.WEBHOOK)
                .withWebhook(URI.create("http://127.0.0.1:" + hook.getAddress().getPort() + "/hook"), WebhookFormat.VIGIL, Secret.NONE);

        var props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            // --- 1. dispatch latency --------------------------------------------------------------
            String latencyTopic = topic(kafka, "bench-alerts-latency");
            RoutingConfig immediate = RoutingConfigParser.parse("bench", "route: {receivers: [noc], group_wait: 0s, group_interval: 1s}\n", Set.of("noc"));
            try (var notifier = Notifier.start(ds, kafka, latencyTopic, "bench-latency", immediate, noc)) {
                // Warm-up: the first events pay for class loading and connection set-up.
                for (int i = 0; i < 20; i++) {
                    send(producer, latencyTopic, event(1_000_000 + i, "warm" + i, "w" + i));
                }
                waitFor(() -> arrivals.keySet().stream().filter(k -> k.startsWith("warm")).count() == 20, Duration.ofSeconds(60));
                long[] micros = new long[probes];
                for (int i = 0; i < probes; i++) {
                    String cluster = "probe" + i;
                    long sent = System.nanoTime();
                    send(producer, latencyTopic, event(2_000_000 + i, cluster, "p" + i));
                    waitFor(() -> arrivals.containsKey(cluster), Duration.ofSeconds(30));
                    micros[i] = (arrivals.get(cluster) - sent) / 1000;
                    Thread.sleep(50);
                }
                Arrays.sort(micros);
                System.out.printf("dispatch latency (event produced -> webhook request received, group_wait 0s): probes=%d "
                                + "p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f%n", probes, pct(micros, 50), pct(micros, 95),
                        pct(micros, 99), micros[micros.length - 1] / 1000.0);
            }

            // --- 2. alert storm -------------------------------------------------------------------
            String stormTopic = topic(kafka, "bench-alerts-storm");
            RoutingConfig defaults = RoutingConfig.defaults(Set.of("noc"));
            requests.set(0);
            notified.clear();
            System.gc();
            long heapBefore = usedHeap();
            try (var notifier = Notifier.start(ds, kafka, stormTopic, "bench-storm", defaults, noc)) {
                long start = System.nanoTime();
                var instances = new ArrayList<String>();
                for (int second = 0; second < 10; second++) {
                    long tick = System.nanoTime();
                    for (int i = 0; i < 500; i++) {
                        int n = second * 500 + i;
                        String instance = "storm-db" + n + ":3306";
                        instances.add(instance);
                        producer.send(new ProducerRecord<>(stormTopic, "s" + n, AlertPublisher.encode(
                                stormEvent(3_000_000 + n, "Storm" + (n % 7), "c" + (n % 50), instance))));
                    }
                    producer.flush();
                    System.err.printf("storm second %d: intake %d events, %d notified%n", second, notifier.consumer().accepted(), notified.size());
                    long left = 1_000_000_000L - (System.nanoTime() - tick);
                    if (left > 0) {
                        Thread.sleep(left / 1_000_000);
                    }
                }
                long peakHeap = usedHeap();
                try {
                    waitFor(() -> notified.containsAll(instances), Duration.ofMinutes(3));
                } catch (IllegalStateException e) {
                    throw new IllegalStateException("storm: " + notified.size() + " of 5000 alerts notified in " + requests.get()
                            + " requests; intake " + notifier.consumer().accepted() + " events", e);
                }
                double drained = (System.nanoTime() - start) / 1e9;
                System.gc();
                System.out.printf("alert storm: alerts=5000 clusters=50 rules=7 group_by=[alertname,cluster] group_wait=30s -> "
                                + "notifications=%d all_notified_after_s=%.1f (storm lasts 10 s, group_wait 30 s) "
                                + "heap_used_during_storm_mb=%.0f heap_growth_after_gc_mb=%.1f%n", requests.get(), drained,
                        peakHeap / 1e6, (usedHeap() - heapBefore) / 1e6);
            }
        } finally {
            hook.stop(0);
            ((java.util.concurrent.ExecutorService) hook.getExecutor()).shutdownNow();
        }
    }

    /** The notifier's parts, assembled as NotifierRole does, with fast polls. */
    private record Notifier(DeliveryWorker worker, DispatchLoop loop, AlertEventsConsumer consumer) implements AutoCloseable {

        static Notifier start(PGSimpleDataSource ds, String kafka, String topic, String group, RoutingConfig routing, Receiver noc) {
            Receivers receivers = Receivers.of(noc);
            var renderer = new MessageRenderer(ZoneOffset.UTC);
            var worker = new DeliveryWorker(new Outbox(ds),
                    new Channels(List.of(new WebhookChannel(Secret.NONE, new HttpTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)), renderer))),
                    receivers, new WorkerSettings(50, Duration.ofMinutes(2), Duration.ofSeconds(2),
                    new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2)),
                    new RateLimiter(1_000_000, Duration.ofNanos(1), System::nanoTime), new SplittableRandom());
            worker.start();
            var loop = new DispatchLoop(new GroupFlusher(ds, () -> routing, receivers, "http://vigil.example"),
                    new EscalationStepper(ds, () -> routing, receivers, "http://vigil.example", AckLinks.load(ds, "http://vigil.example")),
                    Duration.ofSeconds(1), worker::wakeUp);
            loop.start();
            var consumer = new AlertEventsConsumer(new AlertEventsConsumer.Settings(kafka, topic, group), new AlertIntake(ds, () -> routing),
                    loop::wakeUp);
            consumer.start();
            return new Notifier(worker, loop, consumer);
        }

        @Override
        public void close() {
            consumer.close();
            loop.close();
            worker.close();
        }
    }

    private static String topic(String kafka, String name) throws Exception {
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            admin.createTopics(List.of(new NewTopic(name, 3, (short) 1))).all().get();
        }
        return name;
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, AlertEvent e) throws Exception {
        producer.send(new ProducerRecord<>(topic, e.fingerprint(), AlertPublisher.encode(e))).get();
    }

    private static AlertEvent event(long id, String cluster, String instance) {
        return stormEvent(id, "MySQLDown", cluster, instance);
    }

    private static AlertEvent stormEvent(long id, String rule, String cluster, String instance) {
        var labels = new TreeMap<>(Map.of("alertname", rule, "cluster", cluster, "instance", instance));
        Instant now = Instant.now();
        return new AlertEvent(id, rule + labels, rule, AlertState.FIRING, AlertState.PENDING, Severity.NORMAL, labels,
                Map.of("summary", rule + " on " + instance), 1.0, now, now, null, now, "up{instance=\"" + instance + "\"}");
    }

    private static void waitFor(java.util.function.BooleanSupplier done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout);
            }
            Thread.sleep(1);
        }
    }

    private static double pct(long[] sortedMicros, int p) {
        int i = (int) Math.ceil(p / 100.0 * sortedMicros.length) - 1;
        return sortedMicros[Math.max(0, i)] / 1000.0;
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
