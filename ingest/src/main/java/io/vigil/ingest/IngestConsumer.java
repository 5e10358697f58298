package io.vigil.ingest;

import io.vigil.model.SampleBatch;
import io.vigil.model.codec.CodecException;
import io.vigil.model.codec.SampleBatchCodec;
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

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads sample batches from Kafka on its own thread and hands them to the {@link SampleWriter}
 * in batches of about {@code batchRows} points or {@code batchMaxWait}, whichever comes first.
 *
 * <p>Exactly once: positions live in PostgreSQL next to the points (see {@link OffsetStore}); on
 * assignment the consumer seeks there, and Kafka's own commit, done after the database commit,
 * only serves lag monitoring. While PostgreSQL is unavailable the partitions are paused and the
 * waiting batch is retried with backoff, so nothing is lost and memory stays bounded.
 */
public final class IngestConsumer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(IngestConsumer.class);
    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final ConsumerSettings settings;
    private final SampleWriter writer;

    private final AtomicLong pointsWritten = new AtomicLong();
    private final AtomicLong batchesWritten = new AtomicLong();
    private final AtomicLong batchesSkipped = new AtomicLong();
    private final AtomicLong pointsExpired = new AtomicLong();
    private final AtomicLong seriesRefused = new AtomicLong();
    private final AtomicLong pointsRefused = new AtomicLong();
    private final AtomicLong decodeErrors = new AtomicLong();
    private final AtomicLong writeRetries = new AtomicLong();
    private final AtomicLong flushes = new AtomicLong();
    private volatile boolean paused;
    private volatile int assignedPartitions;
    private volatile boolean running;
    private volatile Throwable failure;

    // Owned by the consumer thread.
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;
    private final List<ConsumedBatch> pending = new ArrayList<>();
    private final Map<TopicPartition, Long> consumedUpTo = new HashMap<>();
    private final Set<TopicPartition> owned = new HashSet<>();
    private long pendingPoints;
    private long pendingSinceNanos = -1;
    private long retryDelayNanos;
    private long nextRetryNanos;
    private long failuresInRow;

    private static final AtomicLong THREADS = new AtomicLong();

    public IngestConsumer(ConsumerSettings settings, SampleWriter writer) {
        if (!settings.group().equals(writer.offsets().consumerGroup())) {
            throw new IllegalArgumentException("consumer group " + settings.group() + " differs from the writer's offset group "
                    + writer.offsets().consumerGroup() + "; offsets would be stored under the wrong group");
        }
        this.settings = settings;
        this.writer = writer;
    }

    /** Starts the consumer thread. An instance runs once: after {@link #stop()} make a new one. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("ingest consumer of " + settings.topic() + " was already started");
        }
        consumer = new KafkaConsumer<>(kafkaProperties(), new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        thread = new Thread(this::run, "vigil-ingest-" + settings.topic() + "-" + THREADS.incrementAndGet());
        thread.start();
    }

    Properties kafkaProperties() {
        var p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.putAll(settings.kafkaOverrides());
        return p;
    }

    /** Stops polling, writes what is waiting if the database takes it, and closes the consumer. */
    public void stop() {
        Thread t;
        synchronized (this) {
            t = thread;
            if (t == null || !running) {
                return;
            }
            running = false;
            consumer.wakeup();
        }
        try {
            t.join(TimeUnit.SECONDS.toMillis(30));
            if (t.isAlive()) {
                LOG.warnf("ingest consumer of %s did not stop within 30 s (stuck in a database call?)", settings.topic());
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
                LOG.errorf("ingest consumer of %s woken up unexpectedly; stopping", settings.topic());
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.errorf(e, "ingest consumer of %s stopped by an unexpected error", settings.topic());
        } finally {
            running = false;
            finalFlush();
            try {
                consumer.close(CLOSE_TIMEOUT);
            } catch (RuntimeException e) {
                LOG.warnf("closing the Kafka consumer of %s failed: %s", settings.topic(), e.getMessage());
            }
            LOG.infof("ingest consumer of %s stopped", settings.topic());
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
        consumedUpTo.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max);
        if (pendingSinceNanos < 0) {
            pendingSinceNanos = System.nanoTime();
        }
        SampleBatch batch;
        try {
            batch = SampleBatchCodec.decode(r.value());
        } catch (CodecException e) {
            skipUndecodable(r, e.getMessage());
            return;
        } catch (RuntimeException e) {
            // A decoder bug must cost one record, not the whole partition.
            skipUndecodable(r, e.toString());
            return;
        }
        pending.add(new ConsumedBatch(r.topic(), r.partition(), r.offset(), batch));
        pendingPoints += batch.samples().size();
    }

    private void skipUndecodable(ConsumerRecord<String, byte[]> r, String reason) {
        decodeErrors.incrementAndGet();
        LOG.warnf("skipping undecodable record %s/%d@%d (key %s, %d bytes): %s", r.topic(), r.partition(), r.offset(),
                r.key(), r.value() == null ? 0 : r.value().length, reason);
    }

    private void flushIfDue() {
        long now = System.nanoTime();
        if (paused) {
            if (now - nextRetryNanos >= 0) {
                attemptFlush();
            }
        } else if (pendingSinceNanos >= 0
                && (pendingPoints >= settings.batchRows() || now - pendingSinceNanos >= settings.batchMaxWait().toNanos())) {
            attemptFlush();
        }
    }

    /** One write attempt of everything waiting; on failure enters (or stays in) the paused state. */
    private boolean attemptFlush() {
        WriteResult result;
        try {
            result = writer.write(List.copyOf(pending), Map.copyOf(consumedUpTo));
        } catch (SQLException | RuntimeException e) {
            onWriteFailure(e);
            return false;
        }
        pointsWritten.addAndGet(result.pointsWritten());
        batchesWritten.addAndGet(result.batchesWritten());
        batchesSkipped.addAndGet(result.batchesSkipped());
        pointsExpired.addAndGet(result.pointsExpired());
        seriesRefused.addAndGet(result.seriesRefused());
        pointsRefused.addAndGet(result.pointsRefused());
        flushes.incrementAndGet();
        if (result.batchesSkipped() > 0) {
            LOG.infof("skipped %d batches already in the store (redelivered by Kafka)", result.batchesSkipped());
        }
        var commit = new HashMap<TopicPartition, OffsetAndMetadata>();
        consumedUpTo.forEach((tp, next) -> commit.put(tp, new OffsetAndMetadata(next)));
        clearPending();
        if (paused) {
            paused = false;
            consumer.resume(consumer.assignment());
            LOG.infof("writing to PostgreSQL works again after %d failed attempts; resumed %s", failuresInRow, settings.topic());
        }
        failuresInRow = 0;
        commitToKafka(commit);
        return true;
    }

    private void onWriteFailure(Exception e) {
        writeRetries.incrementAndGet();
        failuresInRow++;
        long now = System.nanoTime();
        if (!paused) {
            paused = true;
            retryDelayNanos = settings.retryMin().toNanos();
            consumer.pause(consumer.assignment());
            String state = e instanceof SQLException sql ? " (SQLState " + sql.getSQLState() + ")" : "";
            LOG.warnf("writing %d points of %d batches from %s to PostgreSQL failed%s: %s; paused consumption, retrying"
                            + " every %s to %s until it works", pendingPoints, pending.size(), settings.topic(), state,
                    e.getMessage(), settings.retryMin(), settings.retryMax());
        } else {
            retryDelayNanos = Math.min(retryDelayNanos * 2, settings.retryMax().toNanos());
            LOG.debugf("write retry %d failed: %s", failuresInRow, e.getMessage());
        }
        nextRetryNanos = now + retryDelayNanos;
    }

    /** Only for lag monitoring; the database already holds the truth, so a failure here is harmless. */
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
            LOG.infof("committing offsets to Kafka failed (the stored offsets in PostgreSQL stay authoritative): %s", e.getMessage());
        }
    }

    private void clearPending() {
        pending.clear();
        consumedUpTo.clear();
        pendingPoints = 0;
        pendingSinceNanos = -1;
    }

    /** Forgets waiting records of partitions this consumer no longer owns; their new owner reads them again. */
    private void dropPending(Collection<TopicPartition> partitions) {
        var gone = new HashSet<>(partitions);
        pending.removeIf(b -> gone.contains(b.topicPartition()));
        consumedUpTo.keySet().removeAll(gone);
        pendingPoints = pending.stream().mapToLong(b -> b.batch().samples().size()).sum();
        if (consumedUpTo.isEmpty()) {
            pendingSinceNanos = -1;
        }
    }

    private void finalFlush() {
        if (consumedUpTo.isEmpty() || paused) {
            return; // not written means not committed anywhere: the next owner reads it again
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
            if (partitions.isEmpty()) {
                return;
            }
            if (!consumedUpTo.isEmpty() && !paused) {
                attemptFlush();
            }
            dropPending(partitions);
            owned.removeAll(partitions);
            assignedPartitions = owned.size();
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            dropPending(partitions);
            owned.removeAll(partitions);
            assignedPartitions = owned.size();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            owned.addAll(partitions);
            assignedPartitions = owned.size();
            if (partitions.isEmpty()) {
                return;
            }
            if (paused) {
                consumer.pause(partitions);
            }
            try {
                Map<TopicPartition, Long> stored = writer.offsets().load(partitions);
                stored.forEach(consumer::seek);
                LOG.infof("assigned %s; resuming from offsets stored in PostgreSQL %s", partitions, stored);
            } catch (SQLException | RuntimeException e) {
                // Kafka's committed offsets are never ahead of the stored ones, and the writer skips what
                // it already has, so starting there is safe, only slower.
                LOG.warnf("assigned %s but reading their stored offsets failed (%s); starting from Kafka's committed"
                        + " offsets, already stored records will be skipped", partitions, e.getMessage());
            }
        }
    }

    public String topic() {
        return settings.topic();
    }

    /** Points added to the store. */
    public long pointsWritten() {
        return pointsWritten.get();
    }

    /** Batches whose points went into the store. */
    public long batchesWritten() {
        return batchesWritten.get();
    }

    /** Redelivered batches found already stored and skipped. */
    public long batchesSkipped() {
        return batchesSkipped.get();
    }

    /** Points dropped because they were older than the retention. */
    public long pointsExpired() {
        return pointsExpired.get();
    }

    /** New series the cardinality guard refused. */
    public long seriesRefused() {
        return seriesRefused.get();
    }

    /** Points not stored because their series was refused by the cardinality guard. */
    public long pointsRefused() {
        return pointsRefused.get();
    }

    /** Records that could not be decoded and were skipped. */
    public long decodeErrors() {
        return decodeErrors.get();
    }

    /** Failed write attempts, each followed by a retry. */
    public long writeRetries() {
        return writeRetries.get();
    }

    /** Successful write transactions. */
    public long flushes() {
        return flushes.get();
    }

    /** How many partitions this consumer owns right now. */
    public int assignedPartitions() {
        return assignedPartitions;
    }

    /** True while writes fail and consumption is paused. */
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
