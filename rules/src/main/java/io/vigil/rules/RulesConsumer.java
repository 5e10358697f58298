package io.vigil.rules;

import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import io.vigil.model.SampleBatch;
import io.vigil.model.codec.SampleBatchCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import io.vigil.rules.health.ClusterHealth;
import io.vigil.rules.health.ClusterHealthEvaluator;
import io.vigil.rules.health.HealthStatus;
import io.vigil.rules.health.HealthStore;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The rules role's one thread: consumes {@code vigil.samples} in its own group, feeds the engine,
 * evaluates, stores and publishes. On assignment it takes over the stored alerts of its new
 * partitions and replays their recent past into the window (seeking by time, not by committed
 * offset: the window, not an offset, is the state), and judges nothing until the replay has
 * caught up, so a restart neither re-announces a firing alert nor resolves one on half a window.
 */
public final class RulesConsumer implements Runnable, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RulesConsumer.class);

    public record Settings(String bootstrapServers, String topic, String group, Duration tick, Duration warmup,
                           Duration historyRetention) {
    }

    private final Settings settings;
    private final RuleEngine engine = new RuleEngine(new ClusterHealthEvaluator());
    private final HealthStore healthStore;
    private final Map<String, HealthPublished> healthPublished = new HashMap<>();
    /** Health is stored and published when it changes, and at least this often (it is also the staleness clock of readers). */
    static final long HEALTH_REFRESH_MILLIS = 15_000;

    private record HealthPublished(HealthStatus status, String reason, long atMillis) {
    }
    private final AlertStore store;
    private final AlertPublisher publisher;
    private final Supplier<RuleSetSnapshot> rules;
    private final LongSupplier clock;
    private final Properties consumerProps = new Properties();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private final AtomicLong restarts = new AtomicLong();
    private final Set<Integer> owned = new HashSet<>();
    private final Map<TopicPartition, Long> catchUpTo = new HashMap<>();
    private final List<AlertSnapshot> unstored = new ArrayList<>();
    private final AtomicLong badRecords = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    // Read by the metrics thread; written by the loop after each tick (the engine itself is the loop's alone).
    private volatile int unstoredCount;
    private volatile long windowSeries;
    private volatile long windowPoints;
    private volatile long evaluations;
    private volatile Map<String, String> ruleErrors = Map.of();
    private int partitionCount = -1;
    private long rulesVersion = -1;
    private long nextTick;
    private long nextPrune;
    /** True from start-up and whenever this instance stored changes that may not be published yet. */
    private boolean outboxPending = true;
    private long nextOutboxCheck;
    static final long OUTBOX_CHECK_MILLIS = 10_000;
    private Thread thread;

    public RulesConsumer(Settings settings, AlertStore store, HealthStore healthStore, AlertPublisher publisher,
                         Supplier<RuleSetSnapshot> rules, LongSupplier clock) {
        this.settings = settings;
        this.store = store;
        this.healthStore = healthStore;
        this.publisher = publisher;
        this.rules = rules;
        this.clock = clock;
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-rules");
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        engine.setOwnership(l -> owned.contains(ownerPartition(l))); // nothing until Kafka assigns partitions
    }

    public void start() {
        thread = new Thread(this, "vigil-rules");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Runs sessions until closed: an unexpected failure ends the session (the consumer leaves the
     * group, its partitions go to other instances or come back here), and after a pause a new
     * session joins again, rather than leaving the role silently dead.
     */
    @Override
    public void run() {
        while (running) {
            try {
                session();
            } catch (RuntimeException e) {
                restarts.incrementAndGet();
                LOG.errorf(e, "rules: consumer session failed; rejoining in 5 s");
                owned.clear();
                catchUpTo.clear();
                caughtUp = false;
                try {
                    Thread.sleep(5000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void session() {
        consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
        try {
            consumer.subscribe(List.of(settings.topic()), new Rebalance());
            while (running) {
                applyRules();
                var records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<String, byte[]> r : records) {
                    accept(r);
                }
                if (!caughtUp) {
                    caughtUp = !owned.isEmpty() && caughtUp();
                    if (!caughtUp) {
                        continue;
                    }
                    LOG.infof("rules: window replayed for partitions %s; evaluating", owned);
                }
                long now = clock.getAsLong();
                var out = new ArrayList<>(engine.evaluate(now, false));
                if (now >= nextTick) {
                    out.addAll(engine.evaluate(now, true));
                    nextTick = now + settings.tick().toMillis();
                    publishHealth(now);
                    windowSeries = engine.seriesInWindow();
                    windowPoints = engine.pointsInWindow();
                    evaluations = engine.evaluations();
                    ruleErrors = engine.errors();
                }
                persist(out);
                prune(now);
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            persist(List.of());
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void accept(ConsumerRecord<String, byte[]> r) {
        SampleBatch batch;
        try {
            batch = SampleBatchCodec.decode(r.value());
        } catch (RuntimeException e) {
            if (badRecords.incrementAndGet() % 1000 == 1) {
                LOG.warnf("rules: skipping undecodable record %s-%d@%d: %s (%d so far)", r.topic(), r.partition(), r.offset(),
                        e.getMessage(), badRecords.get());
            }
            return;
        }
        engine.accept(batch);
    }

    private void applyRules() {
        RuleSetSnapshot snapshot = rules.get();
        if (snapshot.version() != rulesVersion) {
            rulesVersion = snapshot.version();
            var retired = engine.setRules(snapshot.rules(), clock.getAsLong());
            LOG.infof("rules: %d rules active (version %d)", snapshot.rules().size(), snapshot.version());
            persist(retired);
        }
    }

    /** Stores and publishes changes; when PostgreSQL or Kafka is away they wait here, in order, and nothing is dropped. */
    private void persist(List<AlertSnapshot> out) {
        unstored.addAll(out);
        if (!unstored.isEmpty()) {
            try {
                store.record(unstored, this::ownerPartition);
                changes.addAndGet(unstored.size());
                unstored.clear();
                outboxPending = true;
            } catch (Exception e) {
                LOG.warnf("rules: cannot store %d alert changes yet, will retry: %s", unstored.size(), e.getMessage());
                return;
            } finally {
                unstoredCount = unstored.size();
            }
        }
        // The outbox is read when this instance wrote to it, and now and then for what a stopped
        // instance left behind: not on every poll, which would be a query per 100 ms for nothing.
        long now = clock.getAsLong();
        if (!outboxPending && now < nextOutboxCheck) {
            return;
        }
        try {
            publisher.drain(store);
            outboxPending = false;
            nextOutboxCheck = now + OUTBOX_CHECK_MILLIS;
        } catch (Exception e) {
            LOG.warnf("rules: alert events wait in the outbox: %s", e.getMessage());
        }
    }

    /** Health that changed, or was last published {@link #HEALTH_REFRESH_MILLIS} ago, goes to the store and to Kafka. */
    private void publishHealth(long now) {
        var changed = new ArrayList<ClusterHealth>();
        for (ClusterHealth h : engine.health()) {
            if (!owned.contains(ownerPartition(Labels.of(LabelNames.CLUSTER, h.cluster())))) {
                continue;
            }
            String key = h.cluster() + "\u0000" + h.kind();
            HealthPublished last = healthPublished.get(key);
            if (last == null || last.status() != h.status() || !last.reason().equals(h.reason()) || now - last.atMillis() >= HEALTH_REFRESH_MILLIS) {
                changed.add(h);
            }
        }
        if (changed.isEmpty()) {
            return;
        }
        try {
            healthStore.save(changed);
            publisher.publishSamples(settings.topic(), ClusterHealthEvaluator.asSamples(changed, now));
            for (ClusterHealth h : changed) {
                healthPublished.put(h.cluster() + "\u0000" + h.kind(), new HealthPublished(h.status(), h.reason(), now));
            }
        } catch (Exception e) {
            LOG.warnf("rules: cannot store cluster health yet, will retry: %s", e.getMessage());
        }
    }

    private void prune(long now) {
        if (now < nextPrune) {
            return;
        }
        nextPrune = now + Duration.ofHours(1).toMillis();
        try {
            int n = store.pruneHistory(java.time.Instant.ofEpochMilli(now).minus(settings.historyRetention()));
            if (n > 0) {
                LOG.infof("rules: pruned %d alert history rows older than %s", n, settings.historyRetention());
            }
        } catch (Exception e) {
            LOG.warnf("rules: pruning alert history failed: %s", e.getMessage());
        }
    }

    private boolean caughtUp() {
        for (var e : catchUpTo.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        catchUpTo.clear();
        return true;
    }

    /**
     * The partition whose owner alerts on this identity: the one the collector's key (cluster, else
     * target) lands on, by Kafka's own partitioner; identities with neither (a sum over the whole
     * fleet) go to partition 0's owner, so exactly one instance speaks for them.
     */
    int ownerPartition(Labels identity) {
        String key = identity.get(LabelNames.CLUSTER);
        if (key == null) {
            key = identity.get(LabelNames.TARGET);
        }
        if (key == null || partitionCount <= 0) {
            return 0;
        }
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitionCount;
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            persist(List.of());
            for (TopicPartition tp : partitions) {
                owned.remove(tp.partition());
                catchUpTo.remove(tp);
            }
            engine.release(l -> owned.contains(ownerPartition(l)));
            LOG.infof("rules: partitions %s moved away; now own %s", partitions, owned);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            partitionCount = consumer.partitionsFor(settings.topic()).size();
            var added = new ArrayList<Integer>();
            for (TopicPartition tp : partitions) {
                owned.add(tp.partition());
                added.add(tp.partition());
            }
            long now = clock.getAsLong();
            // Replay the recent past: the window a rule needs, so rates and *_over_time see full ranges.
            var times = new HashMap<TopicPartition, Long>();
            partitions.forEach(tp -> times.put(tp, now - settings.warmup().toMillis()));
            Map<TopicPartition, OffsetAndTimestamp> from = consumer.offsetsForTimes(times);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp o = from.get(tp);
                consumer.seek(tp, o != null ? o.offset() : ends.get(tp));
                catchUpTo.put(tp, ends.get(tp));
            }
            caughtUp = false;
            applyRules();
            // Without the stored alerts this instance would announce firing alerts again: wait for PostgreSQL.
            for (int attempt = 1; running; attempt++) {
                try {
                    var stored = store.load(added);
                    persist(engine.restore(stored, now));
                    LOG.infof("rules: own partitions %s (of %d); took over %d stored alerts; replaying %s of samples",
                            owned, partitionCount, stored.size(), settings.warmup());
                    return;
                } catch (Exception e) {
                    LOG.warnf("rules: cannot load the stored alerts of partitions %s (attempt %d), retrying: %s",
                            added, attempt, e.getMessage());
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    public boolean caughtUpWithReplay() {
        return caughtUp;
    }

    public long alertChanges() {
        return changes.get();
    }

    public long badRecords() {
        return badRecords.get();
    }

    public long sessionRestarts() {
        return restarts.get();
    }

    /** Alert changes waiting for PostgreSQL. */
    public int unstoredChanges() {
        return unstoredCount;
    }

    /** Series and points held in the window, and rule evaluations so far, as of the last tick. */
    public long windowSeries() {
        return windowSeries;
    }

    public long windowPoints() {
        return windowPoints;
    }

    public long evaluations() {
        return evaluations;
    }

    /** Rules whose last evaluation failed, with the reason, as of the last tick. */
    public Map<String, String> ruleErrors() {
        return ruleErrors;
    }

    @Override
    public void close() {
        running = false;
        var c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
