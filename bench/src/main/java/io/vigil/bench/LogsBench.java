package io.vigil.bench;

import io.vigil.collector.logs.BatchSink;
import io.vigil.collector.logs.CheckpointStore;
import io.vigil.collector.logs.EncodedBatch;
import io.vigil.collector.logs.KafkaLogPublisher;
import io.vigil.collector.logs.LogShipper;
import io.vigil.collector.logs.LogShippers;
import io.vigil.collector.logs.LogsFile;
import io.vigil.collector.logs.ShipperSettings;
import io.vigil.logs.index.BulkBody;
import io.vigil.logs.index.BulkIndexer;
import io.vigil.logs.index.ElasticsearchConnection;
import io.vigil.logs.index.ElasticsearchSettings;
import io.vigil.logs.index.IndexLifecycle;
import io.vigil.logs.index.IndexNames;
import io.vigil.logs.index.IndexTemplates;
import io.vigil.logs.index.LogDocument;
import io.vigil.logs.index.LogDocuments;
import io.vigil.logs.role.LogsConsumer;
import io.vigil.logs.role.LogsConsumerSettings;
import io.vigil.logs.wire.LogBatch;
import io.vigil.logs.wire.LogBatchJson;
import io.vigil.logs.wire.LogKind;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;

/**
 * The Vigil side of {@code bench/run-logs.sh}: shipper → Kafka → Elasticsearch. Subcommands:
 * <pre>
 *   documents SLOWLOG CHECKPOINTS ES_PREFIX OUTDIR
 *       runs the shipper (LogShippers.build, default settings) over SLOWLOG into memory instead of Kafka,
 *       decodes every batch as the logs consumer does (LogBatchJson), turns it into documents with
 *       LogDocuments, and writes the bulk requests BulkIndexer would send for them (BulkBody, 2000 documents a
 *       request: the default vigil.logs.batch-documents) as
 *       OUTDIR/bulk-NNNNN.ndjson, the document count as OUTDIR/documents.txt
 *   templates ES_URL PREFIX
 *       Vigil's index templates (1 shard, 0 replicas) for PREFIX, as the logs role puts them
 *   topic BOOTSTRAP TOPIC
 *       creates TOPIC (3 partitions, like the test bed's auto-created topics)
 *   ship SLOWLOG CHECKPOINTS BOOTSTRAP TOPIC EXPECTED
 *       times the shipper alone: from start until Kafka has acknowledged EXPECTED slow queries; first cold (a fresh
 *       JVM) into TOPIC.cold with CHECKPOINTS-cold, then warm (same JVM, new shipper and producer) into TOPIC
 *   pipeline SLOWLOG CHECKPOINTS BOOTSTRAP TOPIC ES_URL PREFIX EXPECTED
 *       starts the shipper and a LogsConsumer (fresh group) and times until the consumer's documentsIndexed()
 *       reaches EXPECTED; first cold into TOPIC.cold and PREFIX-cold (checked and dropped), both started inside the
 *       timed span, then warm (same JVM, new shipper, consumer, producer and connection) into TOPIC and PREFIX, the
 *       consumer subscribed (templates in place, partitions assigned) before the clock starts with the shipper
 *   index BOOTSTRAP TOPIC ES_URL PREFIX EXPECTED
 *       the indexer alone: a LogsConsumer (fresh group) draining a topic the shipper has already filled; cold into
 *       PREFIX-cold (checked and dropped), then warm into PREFIX
 * </pre>
 * Every timed phase is reported as a {@code RESULT} line with this JVM's CPU seconds and, given
 * {@code -Dbench.es.pid} and {@code -Dbench.kafka.pid}, those of Elasticsearch and Kafka during that phase. With
 * {@code -Dbench.jfr.dir=DIR} each phase is recorded with JFR's {@code profile} settings into DIR/NAME.jfr.
 *
 * <p>Why a warm phase: a collector and a server run for weeks, so their JIT has long compiled the code of the
 * log path; Elasticsearch too gets untimed warm-up requests before the baseline. The cold phase is the warm-up: the
 * same work, the whole log once, in the same JVM, with its own topic, index prefix and checkpoints, so that the
 * warm phase starts from nothing but JIT-compiled code and loaded classes.
 * The shipper's source is always host {@value #HOST}, instance {@value #INSTANCE}, cluster {@value #CLUSTER}, so
 * that document ids (source key, file identity, offset) are the same in the baseline and in the Vigil run.
 */
public final class LogsBench {

    static final String HOST = "bench-host";
    static final String INSTANCE = "127.0.0.1:23316";
    static final String CLUSTER = "bench";
    /** vigil.logs.batch-documents and batch-max-bytes, the logs role's defaults (LogsConfig). */
    static final int BATCH_DOCUMENTS = 2000;
    static final long BATCH_MAX_BYTES = 5L << 20;
    /** A single-node cluster: no replicas, one shard per daily index (LogsConfig's shards default). */
    static final int SHARDS = 1;
    static final int REPLICAS = 0;
    static final int RETENTION_DAYS = 14;
    /**
     * Whole loads done before the warm one ({@code -Dbench.warmup.passes}): the first is the cold run; the JIT
     * still compiles the hottest methods again during the second.
     */
    static final int WARM_UP_PASSES = Integer.getInteger("bench.warmup.passes", 1);

    public static void main(String[] args) throws Exception {
        kafkaLogsAtInfo();
        switch (args.length == 0 ? "" : args[0]) {
            case "documents" -> documents(Path.of(args[1]), Path.of(args[2]), args[3], Path.of(args[4]));
            case "templates" -> templates(args[1], args[2]);
            case "topic" -> topic(args[1], args[2]);
            case "ship" -> {
                Path checkpoints = Path.of(args[2]);
                long expected = Long.parseLong(args[5]);
                for (int pass = 0; pass < WARM_UP_PASSES; pass++) {
                    String suffix = pass == 0 ? "cold" : "warmup" + pass;
                    topic(args[3], args[4] + "." + suffix);
                    ship(Path.of(args[1]), Path.of(checkpoints + "-" + suffix), args[3], args[4] + "." + suffix, expected,
                            "shipper_" + suffix);
                }
                ship(Path.of(args[1]), checkpoints, args[3], args[4], expected, "shipper");
            }
            case "pipeline" -> {
                Path slowLog = Path.of(args[1]);
                Path checkpoints = Path.of(args[2]);
                long expected = Long.parseLong(args[7]);
                for (int pass = 0; pass < WARM_UP_PASSES; pass++) {
                    String suffix = pass == 0 ? "cold" : "warmup" + pass;
                    topic(args[3], args[4] + "." + suffix);
                    pipeline(slowLog, Path.of(checkpoints + "-" + suffix), args[3], args[4] + "." + suffix, args[5],
                            args[6] + "-" + suffix, expected, "vigil_" + suffix, false);
                    checkAndDrop(args[5], args[6] + "-" + suffix, expected);
                }
                pipeline(slowLog, checkpoints, args[3], args[4], args[5], args[6], expected, "vigil", true);
            }
            case "index" -> {
                long expected = Long.parseLong(args[5]);
                for (int pass = 0; pass < WARM_UP_PASSES; pass++) {
                    String suffix = pass == 0 ? "cold" : "warmup" + pass;
                    pipeline(null, null, args[1], args[2], args[3], args[4] + "-" + suffix, expected, "indexer_" + suffix, false);
                    checkAndDrop(args[3], args[4] + "-" + suffix, expected);
                }
                pipeline(null, null, args[1], args[2], args[3], args[4], expected, "indexer", false);
            }
            default -> {
                System.err.println("usage: LogsBench documents|templates|topic|ship|pipeline … (see the class comment)");
                System.exit(2);
            }
        }
    }

    /**
     * Kafka's clients log through slf4j to the JBoss LogManager, which lets every level through when it is not the
     * JVM's log manager, as in this plain JVM: the clients would format their debug and trace messages, and throw
     * them away, on every request. The server and the collector run at INFO; so does this.
     */
    private static void kafkaLogsAtInfo() {
        org.jboss.logmanager.LogContext.getSystemLogContext().getLogger("").setLevel(java.util.logging.Level.INFO);
    }

    static LogShipper shipper(Path slowLog, Path checkpoints, BatchSink sink) throws IOException {
        var plan = new LogsFile.Plan(HOST, List.of(new LogsFile.FileSpec(slowLog.toAbsolutePath().normalize(),
                LogKind.SLOW, INSTANCE, CLUSTER)), List.of());
        return LogShippers.build(plan, sink, new CheckpointStore(checkpoints), ShipperSettings.DEFAULTS);
    }

    /** Shipper into memory, then the documents the consumer would make of it, as bulk request bodies. */
    static void documents(Path slowLog, Path checkpoints, String prefix, Path outDir) throws Exception {
        Files.createDirectories(outDir);
        var batches = new ConcurrentLinkedQueue<byte[]>();
        BatchSink memory = new BatchSink() {
            @Override
            public void send(EncodedBatch batch) {
                batches.add(batch.json());
            }

            @Override
            public void close() {
            }
        };
        long size = Files.size(slowLog);
        long t0 = System.nanoTime();
        try (LogShipper shipper = shipper(slowLog, checkpoints, memory)) {
            shipper.start();
            // The last entry is held until the file has been quiet for the quiet period (2 s).
            waitFor(() -> shipper.counters().bytes(), size, "file bytes shipped", t0);
            System.out.printf(Locale.ROOT, "shipped into memory: %d batches, %d slow queries, %d parse errors, %d bytes in %.1f s%n",
                    shipper.counters().batches(), shipper.counters().slowQueries(), shipper.counters().parseErrors(),
                    shipper.counters().bytes(), (System.nanoTime() - t0) / 1e9);
        }
        var documents = new LogDocuments(new IndexNames(prefix));
        var all = new ArrayList<LogDocument>();
        long unplaced = 0;
        for (byte[] json : batches) {
            LogBatch batch = LogBatchJson.decode(json);
            var converted = documents.of(batch);
            all.addAll(converted.documents());
            unplaced += converted.unplaced().size();
        }
        // As BulkIndexer sends them: BulkBody, create operations under the derived ids, the documents' JSON as written once.
        int requests = 0;
        long bytes = 0;
        long maxRequest = 0;
        for (int from = 0; from < all.size(); from += BATCH_DOCUMENTS) {
            var body = BulkBody.of(all.subList(from, Math.min(all.size(), from + BATCH_DOCUMENTS)));
            Path file = outDir.resolve(String.format(Locale.ROOT, "bulk-%05d.ndjson", ++requests));
            try (OutputStream out = Files.newOutputStream(file)) {
                body.writeTo(out);
            }
            long n = body.size();
            if (n > BATCH_MAX_BYTES) {
                throw new IllegalStateException(file + " has " + n + " bytes, more than Vigil's bulk limit: split differently");
            }
            bytes += n;
            maxRequest = Math.max(maxRequest, n);
        }
        System.out.printf(Locale.ROOT, "documents: %d (%d without a time, not indexed) in %d bulk requests of up to %d"
                        + " documents; %d bytes of NDJSON (%.0f per document, largest request %d)%n",
                all.size(), unplaced, requests, BATCH_DOCUMENTS, bytes, (double) bytes / all.size(), maxRequest);
        Files.writeString(outDir.resolve("documents.txt"), Long.toString(all.size()));
    }

    static IndexTemplates indexTemplates(ElasticsearchConnection es, IndexNames names) {
        var client = es.client();
        return new IndexTemplates(client, names, SHARDS, REPLICAS, new IndexLifecycle(client, names, RETENTION_DAYS));
    }

    static void templates(String url, String prefix) throws Exception {
        try (var es = new ElasticsearchConnection(ElasticsearchSettings.of(url))) {
            indexTemplates(es, new IndexNames(prefix)).ensure();
        }
        System.out.println("index templates for " + prefix + "-* in place");
    }

    static void topic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        System.out.println("topic " + topic + " created");
    }

    static KafkaLogPublisher publisher(String bootstrap, String topic) {
        // As the collector makes it (CollectorRole): records up to the batch limit of the shipper's settings.
        return new KafkaLogPublisher(bootstrap, topic, ShipperSettings.DEFAULTS.batchMaxBytes());
    }

    static void ship(Path slowLog, Path checkpoints, String bootstrap, String topic, long expected, String name)
            throws Exception {
        try (var publisher = publisher(bootstrap, topic)) {
            var phase = Phase.start(name);
            long t0 = System.nanoTime();
            try (LogShipper shipper = shipper(slowLog, checkpoints, publisher)) {
                shipper.start();
                long lastButOne = waitFor(() -> shipper.counters().slowQueries(), expected - 1, "slow queries acknowledged", t0);
                long end = waitFor(() -> shipper.counters().slowQueries(), expected, "slow queries acknowledged", t0);
                String cpu = phase.end();
                double secs = (end - t0) / 1e9;
                System.out.printf(Locale.ROOT, "RESULT %s entries=%d seconds=%.3f entries_per_s=%.0f %s"
                                + " (all but the held last entry: %.3f s, %.0f/s) batches=%d bytes=%d send_failures=%d%n",
                        name, expected, secs, expected / secs, cpu, (lastButOne - t0) / 1e9,
                        (expected - 1) / ((lastButOne - t0) / 1e9),
                        shipper.counters().batches(), shipper.counters().bytes(), shipper.counters().sendFailures());
            }
        }
    }

    /**
     * With {@code slowLog} null, the indexer alone: the topic holds the batches already. With {@code subscribed}, the
     * consumer is started and has joined its group before the clock starts, as the logs role of a running server
     * has; else both start inside the timed span.
     */
    static void pipeline(Path slowLog, Path checkpoints, String bootstrap, String topic, String url, String prefix,
                         long expected, String name, boolean subscribed) throws Exception {
        var names = new IndexNames(prefix);
        try (var es = new ElasticsearchConnection(ElasticsearchSettings.of(url));
             var publisher = publisher(bootstrap, topic)) {
            // As LogsRole wires it, with the default batching (2000 documents or 1 s, requests of at most 5 MB).
            var settings = LogsConsumerSettings.defaults(bootstrap).withTopic(topic)
                    .withGroup("bench-logs-" + ProcessHandle.current().pid() + "-" + prefix);
            var consumer = new LogsConsumer(settings, indexTemplates(es, names), new LogDocuments(names),
                    new BulkIndexer(es.client(), BATCH_DOCUMENTS, BATCH_MAX_BYTES));
            LogShipper shipper = slowLog == null ? null : shipper(slowLog, checkpoints, publisher);
            LongSupplier shippedCount = shipper == null ? () -> expected : () -> shipper.counters().slowQueries();
            Phase phase = null;
            try {
                if (subscribed) {
                    consumer.start();
                    awaitAssignment(bootstrap, settings.group());
                }
                phase = Phase.start(name);
                long t0 = System.nanoTime();
                if (shipper != null) {
                    shipper.start();
                }
                if (!subscribed) {
                    consumer.start();
                }
                long shipped = -1;
                long firstIndexed = -1;
                long lastButOne = -1;
                long lastReport = t0;
                while (consumer.documentsIndexed() < expected) {
                    long now = System.nanoTime();
                    if (shipped < 0 && shippedCount.getAsLong() >= expected) {
                        shipped = now;
                    }
                    if (firstIndexed < 0 && consumer.documentsIndexed() > 0) {
                        firstIndexed = now;
                    }
                    if (lastButOne < 0 && consumer.documentsIndexed() >= expected - 1) {
                        lastButOne = now;
                    }
                    if (now - lastReport > 10_000_000_000L) {
                        System.out.printf(Locale.ROOT, "  … %.1f s: shipped %d, indexed %d%n", (now - t0) / 1e9,
                                shippedCount.getAsLong(), consumer.documentsIndexed());
                        lastReport = now;
                    }
                    if (!consumer.isRunning() || now - t0 > 1_800_000_000_000L) {
                        throw new IllegalStateException("gave up: consumer running " + consumer.isRunning() + ", failure "
                                + consumer.failure() + ", " + consumer.documentsIndexed() + " of " + expected + " indexed");
                    }
                    Thread.sleep(2);
                }
                long end = System.nanoTime();
                String cpu = phase.end();
                shipped = shipped < 0 ? end : shipped;
                lastButOne = lastButOne < 0 ? end : lastButOne;
                double secs = (end - t0) / 1e9;
                System.out.printf(Locale.ROOT, "RESULT %s documents=%d seconds=%.3f docs_per_s=%.0f %s"
                                + " (first documents indexed at %.3f s; all but the held last entry: %.3f s, %.0f/s;"
                                + " shipper done at %.3f s) batches=%d existing=%d rejected=%d parse_errors=%d retries=%d%n",
                        name, expected, secs, expected / secs, cpu,
                        (firstIndexed - t0) / 1e9,
                        (lastButOne - t0) / 1e9, (expected - 1) / ((lastButOne - t0) / 1e9),
                        (shipped - t0) / 1e9, consumer.batchesConsumed(), consumer.documentsExisting(),
                        consumer.documentsRejected(), consumer.parseErrors(), consumer.retries());
            } finally {
                if (phase != null) {
                    phase.abandon();
                }
                if (shipper != null) {
                    shipper.close();
                }
                consumer.stop();
            }
        }
    }

    /** Waits until a member of the consumer group has partitions assigned: it has joined and reads. */
    static void awaitAssignment(String bootstrap, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            long t0 = System.nanoTime();
            while (!assigned(admin, group)) {
                if (System.nanoTime() - t0 > 60_000_000_000L) {
                    throw new IllegalStateException("the logs consumer of group " + group + " got no partitions within 60 s");
                }
                Thread.sleep(10);
            }
        }
    }

    private static boolean assigned(Admin admin, String group) throws InterruptedException {
        try {
            return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get().members().stream()
                    .anyMatch(m -> !m.assignment().topicPartitions().isEmpty());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return false; // not joined yet
            }
            throw new IllegalStateException("cannot describe consumer group " + group, e.getCause());
        }
    }

    /**
     * After a cold phase: Elasticsearch must hold exactly {@code expected} documents under {@code prefix}; then its
     * indices are deleted, so that neither their merges nor their memory weigh on the warm phase.
     */
    static void checkAndDrop(String url, String prefix, long expected) throws Exception {
        try (var es = new ElasticsearchConnection(ElasticsearchSettings.of(url))) {
            var client = es.client();
            String pattern = prefix + "-*";
            client.indices().refresh(r -> r.index(pattern));
            long n = client.count(c -> c.index(pattern)).count();
            if (n != expected) {
                throw new IllegalStateException(prefix + ": Elasticsearch holds " + n + " documents, expected " + expected);
            }
            // By name: Elasticsearch 8 refuses to delete indices by wildcard (action.destructive_requires_name).
            var indices = client.indices().get(g -> g.index(pattern)).result().keySet();
            client.indices().delete(d -> d.index(List.copyOf(indices)));
            System.out.printf(Locale.ROOT, "documents in %s: %d (checked, indices %s dropped)%n", pattern, n, indices);
        }
    }

    /** Waits until {@code value} reaches {@code target}; returns System.nanoTime() then. */
    private static long waitFor(LongSupplier value, long target, String what, long t0) throws InterruptedException {
        long lastReport = t0;
        while (value.getAsLong() < target) {
            long now = System.nanoTime();
            if (now - lastReport > 10_000_000_000L) {
                System.out.printf(Locale.ROOT, "  … %.1f s: %d of %d %s%n", (now - t0) / 1e9, value.getAsLong(), target, what);
                lastReport = now;
            }
            if (now - t0 > 1_800_000_000_000L) {
                throw new IllegalStateException("gave up after 30 min: " + value.getAsLong() + " of " + target + " " + what);
            }
            Thread.sleep(2);
        }
        return System.nanoTime();
    }

    private LogsBench() {
    }
}
