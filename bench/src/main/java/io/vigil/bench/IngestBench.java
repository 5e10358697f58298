package io.vigil.bench;

import io.vigil.ingest.ConsumerSettings;
import io.vigil.ingest.IngestConsumer;
import io.vigil.ingest.LayoutChoice;
import io.vigil.ingest.OffsetStore;
import io.vigil.ingest.SampleWriter;
import io.vigil.ingest.StoreLayout;
import io.vigil.ingest.StoreSchema;
import io.vigil.ingest.StoreSettings;
import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;
import io.vigil.model.codec.SampleBatchCodec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The Vigil side of {@code bench/run-ingest.sh}. Subcommands:
 * <pre>
 *   produce BOOTSTRAP TOPIC PARTITIONS TARGETS SAMPLES SCRAPES OUTDIR
 *       creates TOPIC, sends TARGETS × SCRAPES SampleBatchCodec records of SAMPLES samples each (scrapes 15 s
 *       apart, the last one a minute ago) and writes the same rows for the psql baseline:
 *       OUTDIR/series.csv (id, metric, labels as Vigil stores them) and OUTDIR/samples.csv (time, series_id, value)
 *   schema JDBC_URL OUTDIR
 *       Vigil's own schema (StoreSchema, partitioned layout) plus the partitions of the data's days
 *   consume BOOTSTRAP TOPIC JDBC_URL BATCH_ROWS EXPECTED_POINTS
 *       times a fresh IngestConsumer draining TOPIC into the (empty) store until pointsWritten() reaches EXPECTED
 * </pre>
 * Series ids in series.csv are 1..TARGETS×SAMPLES in the order the generator makes them, so the baseline
 * loads the same dictionary that Vigil creates itself (ids may differ, rows per series do not).
 */
public final class IngestBench {

    static final String METRIC_PREFIX = "bench_metric_";
    static final long STEP_MILLIS = 15_000;

    public static void main(String[] args) throws Exception {
        switch (args.length == 0 ? "" : args[0]) {
            case "produce" -> produce(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), Integer.parseInt(args[6]), Path.of(args[7]));
            case "schema" -> schema(args[1], Path.of(args[2]));
            case "consume" -> consume(args[1], args[2], args[3], Integer.parseInt(args[4]), Long.parseLong(args[5]),
                    args.length > 6 ? Integer.parseInt(args[6]) : 1);
            default -> {
                System.err.println("usage: IngestBench produce|schema|consume … (see the class comment)");
                System.exit(2);
            }
        }
    }

    /** Target labels as a MySQL scrape has them: 10 targets per cluster. */
    static Labels targetLabels(int target) {
        return Labels.of("cluster", "cluster-" + target / 10, "instance", "db-" + target + ":3306", "kind", "mysql",
                "target", "db-" + target, "service", "orders", "idc", "idc-" + target % 3, "team", "dba");
    }

    static void produce(String bootstrap, String topic, int partitions, int targets, int samplesPerScrape, int scrapes,
                        Path outDir) throws Exception {
        Files.createDirectories(outDir);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        var p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        long last = Instant.now().minus(Duration.ofMinutes(1)).toEpochMilli() / STEP_MILLIS * STEP_MILLIS;
        long first = last - (long) (scrapes - 1) * STEP_MILLIS;
        var labels = new Labels[targets];
        for (int t = 0; t < targets; t++) {
            labels[t] = targetLabels(t);
        }
        // Series dictionary for the baseline, in the JSON Vigil writes (its LabelsJson: the label map via Jackson).
        var mapper = new ObjectMapper();
        try (BufferedWriter w = Files.newBufferedWriter(outDir.resolve("series.csv"), StandardCharsets.UTF_8)) {
            for (int t = 0; t < targets; t++) {
                for (int s = 0; s < samplesPerScrape; s++) {
                    String json = mapper.writeValueAsString(labels[t].asMap());
                    w.write((long) t * samplesPerScrape + s + 1 + "," + METRIC_PREFIX + s + ",\"" + json.replace("\"", "\"\"") + "\"\n");
                }
            }
        }
        long bytes = 0;
        long points = 0;
        long t0 = System.nanoTime();
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
             BufferedWriter csv = Files.newBufferedWriter(outDir.resolve("samples.csv"), StandardCharsets.UTF_8)) {
            var sb = new StringBuilder(64);
            for (int k = 0; k < scrapes; k++) {
                long ts = first + k * STEP_MILLIS;
                String time = Instant.ofEpochMilli(ts).toString();
                for (int t = 0; t < targets; t++) {
                    var samples = new ArrayList<Sample>(samplesPerScrape);
                    for (int s = 0; s < samplesPerScrape; s++) {
                        // Counters growing at different rates, like the real MySQL scrape's: full-precision doubles.
                        double v = (k + 1) * (s + 1) * 1.000123 + t * 0.37;
                        samples.add(new Sample(METRIC_PREFIX + s, Labels.EMPTY, v));
                        sb.setLength(0);
                        sb.append(time).append(',').append((long) t * samplesPerScrape + s + 1).append(',').append(v).append('\n');
                        csv.append(sb);
                    }
                    var batch = new SampleBatch("db-" + t, ts, labels[t], samples);
                    byte[] value = SampleBatchCodec.encode(batch);
                    bytes += value.length;
                    points += samplesPerScrape;
                    producer.send(new ProducerRecord<>(topic, batch.partitionKey(), value));
                }
            }
            producer.flush();
        }
        System.out.printf(Locale.ROOT, "produced %d records, %d points, %d bytes into %s (%d partitions) in %.1f s;"
                        + " scrapes %s .. %s%n", (long) targets * scrapes, points, bytes, topic, partitions,
                (System.nanoTime() - t0) / 1e9, Instant.ofEpochMilli(first), Instant.ofEpochMilli(last));
        Files.writeString(outDir.resolve("days.txt"), days(first, last));
        Files.writeString(outDir.resolve("points.txt"), Long.toString(points));
    }

    private static String days(long first, long last) {
        var days = new TreeSet<LocalDate>();
        for (long t = first; t <= last; t += 3_600_000) {
            days.add(LocalDate.ofInstant(Instant.ofEpochMilli(t), ZoneOffset.UTC));
        }
        days.add(LocalDate.ofInstant(Instant.ofEpochMilli(last), ZoneOffset.UTC));
        var sb = new StringBuilder();
        days.forEach(d -> sb.append(d).append('\n'));
        return sb.toString();
    }

    static PGSimpleDataSource dataSource(String url) {
        var ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser("postgres");
        return ds;
    }

    static void schema(String url, Path outDir) throws Exception {
        var ds = dataSource(url);
        StoreLayout layout = new StoreSchema(ds, LayoutChoice.PARTITIONED, StoreSettings.defaults()).ensure();
        var days = new TreeSet<LocalDate>();
        for (String line : Files.readAllLines(outDir.resolve("days.txt"))) {
            if (!line.isBlank()) {
                days.add(LocalDate.parse(line.strip()));
            }
        }
        try (Connection c = ds.getConnection()) {
            layout.ensureDays(c, days);
        }
        System.out.println("schema ready: " + layout.name() + " layout, partitions for " + days);
    }

    static void consume(String bootstrap, String topic, String url, int batchRows, long expected, int writers) throws Exception {
        var ds = dataSource(url);
        StoreLayout layout = new StoreSchema(ds, LayoutChoice.PARTITIONED, StoreSettings.defaults()).ensure();
        String group = "bench-" + ProcessHandle.current().pid() + "-" + batchRows + "-" + writers;
        var settings = ConsumerSettings.defaults(bootstrap).withTopic(topic).withGroup(group)
                .withBatching(batchRows, ConsumerSettings.defaults(bootstrap).batchMaxWait());
        var writer = new SampleWriter(ds, layout, new OffsetStore(ds, group), Duration.ofDays(30));
        // As the ingest role runs vigil.ingest.writers: consumers in one group sharing one writer.
        var consumers = new java.util.ArrayList<IngestConsumer>();
        for (int i = 0; i < writers; i++) {
            consumers.add(new IngestConsumer(settings, writer));
        }
        long start = System.nanoTime();
        long firstWrite = -1;
        long lastReport = start;
        consumers.forEach(IngestConsumer::start);
        try {
            long written;
            while ((written = consumers.stream().mapToLong(IngestConsumer::pointsWritten).sum()) < expected) {
                long now = System.nanoTime();
                if (firstWrite < 0 && written > 0) {
                    firstWrite = now;
                }
                if (now - lastReport > 10_000_000_000L) {
                    System.out.printf(Locale.ROOT, "  … %d points after %.1f s%n", written, (now - start) / 1e9);
                    lastReport = now;
                }
                if (now - start > 1_800_000_000_000L) {
                    throw new IllegalStateException("gave up after 30 min with " + written + " of " + expected + " points");
                }
                Thread.sleep(5);
            }
            long end = System.nanoTime();
            double secs = (end - start) / 1e9;
            // Leaves out start-up (consumer creation, group join, first fetch) and the first flush itself, but divides
            // all points by it: a rough steady-state figure, a little high by the first flush's share of the points.
            String afterFirst = firstWrite < 0 ? "n/a (one flush)" : String.format(Locale.ROOT, "%.3f s, %.0f/s",
                    (end - firstWrite) / 1e9, written / ((end - firstWrite) / 1e9));
            System.out.printf(Locale.ROOT, "RESULT vigil batch_rows=%d writers=%d points=%d seconds=%.3f samples_per_s=%.0f"
                            + " (from first flush: %s) flushes=%d batches=%d retries=%d%n",
                    batchRows, writers, written, secs, written / secs, afterFirst,
                    consumers.stream().mapToLong(IngestConsumer::flushes).sum(),
                    consumers.stream().mapToLong(IngestConsumer::batchesWritten).sum(),
                    consumers.stream().mapToLong(IngestConsumer::writeRetries).sum());
        } finally {
            consumers.forEach(IngestConsumer::stop);
        }
    }

    private IngestBench() {
    }
}
