package io.vigil.bench;

import io.vigil.model.AlertState;
import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;
import io.vigil.model.codec.SampleBatchCodec;
import io.vigil.rules.AlertPublisher;
import io.vigil.rules.AlertStore;
import io.vigil.rules.RuleRegistry;
import io.vigil.rules.RuleRepository;
import io.vigil.rules.RulesConsumer;
import io.vigil.rules.health.HealthStore;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Alert latency through the real rules role loop: from producing a sample that breaks a rule
 * (for: 0s) to receiving its firing event on the alerts topic, while a background producer keeps
 * {@code rate} samples/s flowing into the same topic for 100 other rules to chew on. The path
 * measured: Kafka → RulesConsumer poll → window → evaluation → PostgreSQL (state, history) →
 * Kafka → a consumer of the alerts topic.
 *
 * <pre>java -cp benchmarks.jar io.vigil.bench.AlertLatencyBench KAFKA JDBC_URL USER [probes] [rate] [rules]</pre>
 * The background rules are the first {@code rules} of {@link RuleEvaluationBench#rules()}: 10 per metric,
 * so 100 rules read 10 metrics (10,000 series) and 1,000 read all 100 (100,000 series).
 */
public final class AlertLatencyBench {

    private AlertLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        String kafka = args[0];
        int probes = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        int rate = args.length > 4 ? Integer.parseInt(args[4]) : 50_000;
        int ruleCount = args.length > 5 ? Integer.parseInt(args[5]) : 100;
        var ds = new PGSimpleDataSource();
        ds.setURL(args[1]);
        ds.setUser(args[2]);
        String samplesTopic = "bench.samples";
        String alertsTopic = "bench.alerts";
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            admin.createTopics(List.of(new NewTopic(samplesTopic, 3, (short) 1), new NewTopic(alertsTopic, 3, (short) 1))).all().get();
        }
        var store = new AlertStore(ds);
        store.ensureSchema();
        var health = new HealthStore(ds);
        health.ensureSchema();
        var repository = new RuleRepository(ds);
        repository.ensureSchema();
        Path rules = Files.createTempFile("latency-rules", ".yaml");
        Files.writeString(rules, RuleEvaluationBench.rules().lines().limit(1 + 3L * ruleCount).reduce("", (a, b) -> a + b + "\n")
                + "  - name: LatencyProbe\n    expr: latency_probe > 0.5\n");
        var registry = new RuleRegistry(List.of(rules), false, repository);
        registry.refresh();
        System.out.printf("rules: %d%n", registry.snapshot().rules().size());

        var settings = new RulesConsumer.Settings(kafka, samplesTopic, "bench-rules", Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofDays(1));
        var consumer = new RulesConsumer(settings, store, health, new AlertPublisher(kafka, alertsTopic), registry::snapshot,
                System::currentTimeMillis);
        consumer.start();

        var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new ByteArraySerializer());
        var running = new AtomicBoolean(true);
        var sent = new AtomicLong();
        Thread background = Thread.ofPlatform().name("background-load").start(() -> load(producer, samplesTopic, rate, running, sent));

        var alerts = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-alert-reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        alerts.subscribe(List.of(alertsTopic));
        while (alerts.assignment().isEmpty()) {
            alerts.poll(Duration.ofMillis(100));
        }
        long waitStart = System.nanoTime();
        while (!consumer.caughtUpWithReplay() && System.nanoTime() - waitStart < Duration.ofMinutes(2).toNanos()) {
            Thread.sleep(100);
        }
        Thread.sleep(5000); // settle under load
        long loadStart = System.nanoTime();
        long sentAtStart = sent.get();

        var latencies = new ArrayList<Double>();
        var probe = Labels.of("cluster", "probe", "instance", "probe:1", "target", "probe", "kind", "mysql");
        for (int i = 0; i < probes; i++) {
            long t0 = System.nanoTime();
            send(producer, samplesTopic, probe, "latency_probe", 1);
            await(alerts, AlertState.FIRING);
            latencies.add((System.nanoTime() - t0) / 1e6);
            send(producer, samplesTopic, probe, "latency_probe", 0);
            await(alerts, AlertState.RESOLVED);
            Thread.sleep(200);
        }
        double seconds = (System.nanoTime() - loadStart) / 1e9;
        double achieved = (sent.get() - sentAtStart) / seconds;
        running.set(false);
        background.join();
        consumer.close();
        producer.close();
        alerts.close();

        Collections.sort(latencies);
        System.out.printf("background_rate_samples_per_s=%.0f probes=%d p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f "
                        + "window_series=%d rule_session_restarts=%d%n",
                achieved, latencies.size(), pct(latencies, 50), pct(latencies, 95), pct(latencies, 99),
                latencies.getLast(), consumer.windowSeries(), consumer.sessionRestarts());
    }

    private static void await(KafkaConsumer<String, byte[]> alerts, AlertState state) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (var r : alerts.poll(Duration.ofMillis(5))) {
                var e = AlertPublisher.decode(r.value());
                if (e.rule().equals("LatencyProbe") && e.state() == state) {
                    return;
                }
            }
        }
        throw new IllegalStateException("no " + state + " event of LatencyProbe within 60 s");
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, Labels target, String metric, double v) throws Exception {
        var b = new SampleBatch(target.get("target"), System.currentTimeMillis(), target, List.of(new Sample(metric, Labels.EMPTY, v)));
        producer.send(new ProducerRecord<>(topic, b.partitionKey(), SampleBatchCodec.encode(b))).get();
    }

    /** 1,000 targets × 100 metrics, spread evenly over each second. */
    private static void load(KafkaProducer<String, byte[]> producer, String topic, int rate, AtomicBoolean running, AtomicLong sent) {
        int batchesPerSecond = Math.max(1, rate / 100);
        long seq = 0;
        long start = System.nanoTime();
        long n = 0;
        while (running.get()) {
            int t = (int) (n % 1000);
            var target = Labels.of("cluster", "c" + t / 3, "instance", "10.0." + t / 250 + "." + t % 250 + ":3306", "target", "db" + t, "kind", "mysql");
            var samples = new ArrayList<Sample>(100);
            for (int m = 0; m < 100; m++) {
                samples.add(new Sample("bench_metric_" + m, Labels.EMPTY, (double) ((seq++ * 7919 + t) % 1000)));
            }
            var b = new SampleBatch("db" + t, System.currentTimeMillis(), target, samples);
            producer.send(new ProducerRecord<>(topic, b.partitionKey(), SampleBatchCodec.encode(b)));
            sent.addAndGet(100);
            n++;
            long due = start + n * 1_000_000_000L / batchesPerSecond;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static double pct(List<Double> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
