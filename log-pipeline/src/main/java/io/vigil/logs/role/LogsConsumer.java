package io.vigil.logs.role;

import io.vigil.logs.index.BulkIndexer;
import io.vigil.logs.index.BulkOutcome;
import io.vigil.logs.index.ElasticsearchUnavailableException;
import io.vigil.logs.index.IndexTemplates;
import io.vigil.logs.index.LogDocument;
import io.vigil.logs.index.LogDocuments;
import io.vigil.logs.wire.LogBatch;
import io.vigil.logs.wire.LogBatchJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * The logs role's intake: reads {@link LogBatch}es from {@code vigil.logs} on its own thread, turns them
 * into documents and bulk-indexes them, committing Kafka offsets only once Elasticsearch has taken every
 * document of the records behind them.
 *
 * <p>One flush at a time is in flight on an indexing thread of its own while this thread polls and decodes the
 * next records: Elasticsearch does not wait for the decoding, nor the decoding for Elasticsearch. A flush is
 * finished (its offsets committed, or its documents taken back) before the next one starts and before anything
 * else is committed, so commits stay in order.
 *
 * <p>While Elasticsearch is down, slow (429) or failing (5xx), consumption is paused and the waiting
 * documents are retried with a doubling backoff, so memory stays bounded and nothing is lost; when it
 * answers again consumption resumes. A crash between indexing and the commit makes Kafka deliver the
 * records again: the documents' derived ids make that harmless. A record that is not a log batch is
 * counted, logged with its position and skipped.
 */
public final class LogsConsumer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LogsConsumer.class);
    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** Records of up to a few hundred events each: enough per poll, little to hold while paused. */
    private static final int MAX_POLL_RECORDS = 100;

    private final LogsConsumerSettings settings;
    private final IndexTemplates templates;
    private final LogDocuments documents;
    private final BulkIndexer indexer;

    private final AtomicLong batchesConsumed = new AtomicLong();
    private final AtomicLong documentsIndexed = new AtomicLong();
    private final AtomicLong documentsExisting = new AtomicLong();
    private final AtomicLong documentsRejected = new AtomicLong();
    private final AtomicLong decodeErrors = new AtomicLong();
    private final AtomicLong parseErrors = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean paused;
    private volatile boolean running;
    private volatile boolean templatesReady;
    private volatile Throwable failure;

    // Owned by the consumer thread.
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;
    private final Map<LogDocument, TopicPartition> pending = new IdentityHashMap<>();
    private final List<LogDocument> pendingOrder = new ArrayList<>();
    private final Map<TopicPartition, Long> consumedUpTo = new HashMap<>();
    private long pendingSinceNanos = -1;
    /** The flush Elasticsearch works on, or null. */
    private Flush inFlight;
    private ExecutorService indexing;
    private long retryDelayNanos;
    private long nextRetryNanos;
    private long failuresInRow;

    public LogsConsumer(LogsConsumerSettings settings, IndexTemplates templates, LogDocuments documents, BulkIndexer indexer) {
        this.settings = settings;
        this.templates = templates;
        this.documents = documents;
        this.indexer = indexer;
    }

    /** Starts the consumer thread. An instance runs once: after {@link #stop()} make a new one. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("logs consumer of " + settings.topic() + " was already started");
        }
        consumer = new KafkaConsumer<>(kafkaProperties(), new StringDeserializer(), new ByteArrayDeserializer());
        indexing = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("vigil-logs-index-" + settings.topic())
                .daemon().factory());
        running = true;
        thread = new Thread(this::run, "vigil-logs-" + settings.topic());
        thread.start();
    }

    Properties kafkaProperties() {
        var p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        p.putAll(settings.kafkaOverrides());
        return p;
    }

    /** Stops polling, indexes what waits if Elasticsearch takes it, commits, and closes the consumer. */
    public void stop() {
        Thread t;
        synchronized (this) {
            t = thread;
            if (t == null || !running) {
                return;
            }
            running = false;
            stopping.countDown();
            consumer.wakeup();
        }
        try {
            t.join(TimeUnit.SECONDS.toMillis(90));
            if (t.isAlive()) {
                LOG.warnf("logs consumer of %s did not stop within 90 s (stuck in a bulk request?)", settings.topic());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void run() {
        try {
            ensureTemplates();
            if (!running) {
                return;
            }
            consumer.subscribe(List.of(settings.topic()), new Rebalance());
            while (running) {
                var records = consumer.poll(Duration.ofNanos(pollWaitNanos()));
                for (ConsumerRecord<String, byte[]> r : records) {
                    accept(r);
                }
                flushIfDue();
            }
        } catch (WakeupException e) {
            if (running) {
                failure = e;
                LOG.errorf("logs consumer of %s woken up unexpectedly; stopping", settings.topic());
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.errorf(e, "logs consumer of %s stopped by an unexpected error", settings.topic());
        } finally {
            running = false;
            finalFlush();
            indexing.shutdown();
            try {
                consumer.close(CLOSE_TIMEOUT);
            } catch (RuntimeException e) {
                LOG.warnf("closing the Kafka consumer of %s failed: %s", settings.topic(), e.getMessage());
            }
            LOG.infof("logs consumer of %s stopped", settings.topic());
        }
    }

    /** Templates first: an index created before them would get guessed mappings for good. */
    private void ensureTemplates() {
        long delay = settings.retryMin().toNanos();
        int attempts = 0;
        while (running) {
            try {
                templates.ensure();
                templatesReady = true;
                if (attempts > 0) {
                    LOG.infof("Elasticsearch took the index templates after %d failed attempts", attempts);
                }
                return;
            } catch (Exception e) {
                attempts++;
                retries.incrementAndGet();
                if (attempts == 1) {
                    LOG.warnf("cannot put the log index templates (%s); not consuming %s until it works, retrying every %s to %s",
                            e.toString(), settings.topic(), settings.retryMin(), settings.retryMax());
                }
                try {
                    stopping.await(delay, TimeUnit.NANOSECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                delay = Math.min(delay * 2, settings.retryMax().toNanos());
            }
        }
    }

    private long pollWaitNanos() {
        long now = System.nanoTime();
        long wait = IDLE_POLL_NANOS;
        if (paused) {
            wait = Math.min(wait, nextRetryNanos - now);
        } else if (pendingSinceNanos >= 0) {
            wait = Math.min(wait, pendingSinceNanos + settings.batchMaxWait().toNanos() - now);
        }
        return Math.max(0, wait);
    }

    private void accept(ConsumerRecord<String, byte[]> r) {
        var tp = new TopicPartition(r.topic(), r.partition());
        consumedUpTo.merge(tp, r.offset() + 1, Math::max);
        if (pendingSinceNanos < 0) {
            pendingSinceNanos = System.nanoTime();
        }
        LogBatch batch;
        try {
            if (r.value() == null) {
                throw new IllegalArgumentException("not a log batch: the record has no value");
            }
            batch = LogBatchJson.decode(r.value());
        } catch (RuntimeException e) {
            // A decoder bug too must cost one record, not the partition.
            decodeErrors.incrementAndGet();
            LOG.warnf("skipping record %s/%d@%d of %s (key %s, %d bytes): %s", r.topic(), r.partition(), r.offset(),
                    settings.topic(), r.key(), r.value() == null ? 0 : r.value().length, e.getMessage());
            return;
        }
        batchesConsumed.incrementAndGet();
        if (!batch.parseErrors().isEmpty()) {
            parseErrors.addAndGet(batch.parseErrors().size());
            LOG.infof("%s: the shipper could not parse %d entries of %s, first: %s", settings.topic(),
                    batch.parseErrors().size(), batch.source().key(), batch.parseErrors().getFirst());
        }
        var converted = documents.of(batch);
        for (String unplaced : converted.unplaced()) {
            documentsRejected.incrementAndGet();
            LOG.errorf("not indexed (record %s/%d@%d): %s", r.topic(), r.partition(), r.offset(), unplaced);
        }
        for (LogDocument d : converted.documents()) {
            pending.put(d, tp);
            pendingOrder.add(d);
        }
    }

    private void flushIfDue() {
        if (inFlight != null && inFlight.outcome().isDone()) {
            finishFlush();
        }
        long now = System.nanoTime();
        if (paused) {
            if (now - nextRetryNanos >= 0) {
                attemptFlush();
            }
        } else if (pendingSinceNanos >= 0
                && (pendingOrder.size() >= settings.batchDocuments() || now - pendingSinceNanos >= settings.batchMaxWait().toNanos())) {
            // At most one in flight: the one before is finished first, so that commits stay in order.
            if (inFlight == null || finishFlush()) {
                startFlush();
            }
        }
    }

    /**
     * Documents on their way to Elasticsearch, with the records they came from.
     *
     * @param partitions where each document was read
     * @param upTo       the offsets to commit once Elasticsearch has them all
     * @param since      when the oldest of their records was read
     */
    private record Flush(List<LogDocument> documents, Map<LogDocument, TopicPartition> partitions,
                         Map<TopicPartition, Long> upTo, long since, CompletableFuture<BulkOutcome> outcome) {
    }

    /** Hands everything waiting to the indexing thread; the counters move as soon as Elasticsearch answers. */
    private void startFlush() {
        var documents = List.copyOf(pendingOrder);
        var outcome = CompletableFuture.supplyAsync(() -> {
            try {
                return indexer.index(documents);
            } catch (ElasticsearchUnavailableException e) {
                throw new CompletionException(e);
            }
        }, indexing);
        outcome.thenAccept(o -> {
            documentsIndexed.addAndGet(o.created());
            documentsExisting.addAndGet(o.existing());
            documentsRejected.addAndGet(o.rejected());
        });
        inFlight = new Flush(documents, new IdentityHashMap<>(pending), new HashMap<>(consumedUpTo), pendingSinceNanos, outcome);
        clearPending();
    }

    /**
     * Waits for the flush in flight: commits its offsets, or takes back what Elasticsearch did not take and enters
     * (or stays in) the paused state. Returns whether it all went in.
     */
    private boolean finishFlush() {
        Flush f = inFlight;
        inFlight = null;
        BulkOutcome outcome;
        try {
            outcome = f.outcome().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ElasticsearchUnavailableException unavailable) {
                takeBack(f, f.documents());
                onFailure(unavailable.getMessage());
                return false;
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        if (!outcome.complete()) {
            takeBack(f, outcome.retry());
            onFailure(outcome.retry().size() + " documents not taken for now (HTTP 429 or 5xx)");
            return false;
        }
        if (paused) {
            paused = false;
            consumer.resume(consumer.assignment());
            LOG.infof("indexing into Elasticsearch works again after %d failed attempts; resumed %s", failuresInRow, settings.topic());
        }
        failuresInRow = 0;
        var commit = new HashMap<TopicPartition, OffsetAndMetadata>();
        f.upTo().forEach((tp, next) -> commit.put(tp, new OffsetAndMetadata(next)));
        commitToKafka(commit);
        return true;
    }

    /** Documents of a flush to send again, ahead of what was read meanwhile; their records are not committed. */
    private void takeBack(Flush f, List<LogDocument> documents) {
        pendingOrder.addAll(0, documents);
        for (LogDocument d : documents) {
            pending.put(d, f.partitions().get(d));
        }
        f.upTo().forEach((tp, next) -> consumedUpTo.merge(tp, next, Math::max));
        if (pendingSinceNanos < 0 || f.since() - pendingSinceNanos < 0) {
            pendingSinceNanos = f.since();
        }
    }

    /** One attempt to index everything waiting, the flush in flight first; on failure enters (or stays in) the paused state. */
    private boolean attemptFlush() {
        if (inFlight != null && !finishFlush()) {
            return false;
        }
        if (consumedUpTo.isEmpty()) {
            return true;
        }
        startFlush();
        return finishFlush();
    }

    private void onFailure(String why) {
        retries.incrementAndGet();
        failuresInRow++;
        long now = System.nanoTime();
        if (!paused) {
            paused = true;
            retryDelayNanos = settings.retryMin().toNanos();
            consumer.pause(consumer.assignment());
            LOG.warnf("indexing %d documents from %s failed: %s; paused consumption, retrying every %s to %s until it works",
                    pendingOrder.size(), settings.topic(), why, settings.retryMin(), settings.retryMax());
        } else {
            retryDelayNanos = Math.min(retryDelayNanos * 2, settings.retryMax().toNanos());
            LOG.debugf("indexing retry %d failed: %s", failuresInRow, why);
        }
        nextRetryNanos = now + retryDelayNanos;
    }

    /** After Elasticsearch has the documents; a lost commit only means a harmless redelivery. */
    private void commitToKafka(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.keySet().retainAll(consumer.assignment());
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.infof("committing offsets of %s failed (the records will be delivered again, and found indexed): %s",
                    settings.topic(), e.getMessage());
        }
    }

    private void clearPending() {
        pending.clear();
        pendingOrder.clear();
        consumedUpTo.clear();
        pendingSinceNanos = -1;
    }

    /** Forgets what waits from partitions this consumer no longer owns: their new owner reads them again. */
    private void dropPending(Collection<TopicPartition> partitions) {
        var gone = new HashSet<>(partitions);
        pendingOrder.removeIf(d -> gone.contains(pending.get(d)));
        pending.values().removeIf(gone::contains);
        consumedUpTo.keySet().removeAll(gone);
        if (consumedUpTo.isEmpty()) {
            pendingSinceNanos = -1;
        }
    }

    private void finalFlush() {
        if ((consumedUpTo.isEmpty() && inFlight == null) || paused || !templatesReady) {
            return; // not indexed means not committed: the next owner reads it again
        }
        try {
            attemptFlush();
        } catch (RuntimeException e) {
            LOG.debugf("final flush of %s incomplete: %s", settings.topic(), e.getMessage());
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty() && (!consumedUpTo.isEmpty() || inFlight != null) && !paused) {
                attemptFlush();
            }
            dropPending(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (inFlight != null) {
                finishFlush(); // what it cannot index comes back, to be dropped with the rest of these partitions
            }
            dropPending(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (paused && !partitions.isEmpty()) {
                consumer.pause(partitions);
            }
        }
    }

    public String topic() {
        return settings.topic();
    }

    /** Log batches decoded. */
    public long batchesConsumed() {
        return batchesConsumed.get();
    }

    /** Documents Elasticsearch created. */
    public long documentsIndexed() {
        return documentsIndexed.get();
    }

    /** Documents Elasticsearch already had (redelivered records). */
    public long documentsExisting() {
        return documentsExisting.get();
    }

    /** Documents refused for good (a mapping error, no time to index them by); each was logged. */
    public long documentsRejected() {
        return documentsRejected.get();
    }

    /** Records that were not log batches, skipped. */
    public long decodeErrors() {
        return decodeErrors.get();
    }

    /** Entries the shipper could not parse, as it reported them in its batches. */
    public long parseErrors() {
        return parseErrors.get();
    }

    /** Failed attempts to reach Elasticsearch, each followed by a retry. */
    public long retries() {
        return retries.get();
    }

    /** True while Elasticsearch fails and consumption is paused. */
    public boolean isPaused() {
        return paused;
    }

    public boolean isRunning() {
        return running;
    }

    /** What stopped the consumer thread unexpectedly, or null. */
    public Throwable failure() {
        return failure;
    }
}
