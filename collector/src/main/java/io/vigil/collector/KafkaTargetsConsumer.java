package io.vigil.collector;

import io.vigil.model.SecretCipher;
import io.vigil.model.Target;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Follows the compacted {@code vigil.targets} topic and applies each change to the scheduler at
 * run time: a definition adds or restarts a target, a tombstone removes it. Collectors share the
 * fleet through a consumer group: each scrapes the targets of the partitions it owns, reads an
 * assigned partition from its beginning (the compacted topic is the whole state, so offsets are
 * never committed), and stops the targets of a partition it loses. The cooperative assignor
 * moves only the partitions that change owner, so a rebalance does not restart every loop.
 * Targets of the YAML file win on an id clash.
 */
public final class KafkaTargetsConsumer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaTargetsConsumer.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final ScrapeScheduler scheduler;
    private final Set<String> fileTargetIds;
    private final Optional<SecretCipher> cipher;
    private final Thread thread;
    /** Which partition each API-managed target came from, to stop exactly those of a lost partition. */
    private final Map<Integer, Set<String>> idsByPartition = new HashMap<>();
    private volatile boolean running = true;

    public KafkaTargetsConsumer(String bootstrapServers, String topic, String groupId, ScrapeScheduler scheduler,
                                Set<String> fileTargetIds, Optional<SecretCipher> cipher) {
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-collector-targets");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.scheduler = scheduler;
        this.fileTargetIds = Set.copyOf(fileTargetIds);
        this.cipher = cipher;
        this.thread = Thread.ofPlatform().daemon().name("vigil-targets-consumer").unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new Ownership());
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    apply(record.partition(), record.key(), record.value());
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop.
        } catch (RuntimeException e) {
            LOG.errorf(e, "following %s stopped; targets managed through the API are no longer updated", topic);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Runs inside poll(), on the consumer thread. */
    private final class Ownership implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                consumer.seekToBeginning(partitions);
                LOG.infof("now scraping the targets of %s partitions %s", topic, numbers(partitions));
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            release(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            release(partitions);
        }

        private void release(Collection<TopicPartition> partitions) {
            int stopped = 0;
            for (TopicPartition p : partitions) {
                for (String id : idsByPartition.getOrDefault(p.partition(), Set.of())) {
                    if (scheduler.remove(id)) {
                        stopped++;
                    }
                }
                idsByPartition.remove(p.partition());
            }
            if (!partitions.isEmpty()) {
                LOG.infof("gave up %s partitions %s: stopped %d target(s)", topic, numbers(partitions), stopped);
            }
        }
    }

    private static List<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).sorted().toList();
    }

    private void apply(int partition, String id, byte[] value) {
        if (id != null) {
            if (value == null) {
                idsByPartition.getOrDefault(partition, new HashSet<>()).remove(id);
            } else {
                idsByPartition.computeIfAbsent(partition, k -> new HashSet<>()).add(id);
            }
        }
        apply(id, value);
    }

    void apply(String id, byte[] value) {
        if (id == null) {
            LOG.warnf("ignoring a record of %s without a key", topic);
            return;
        }
        if (fileTargetIds.contains(id)) {
            LOG.warnf("target %s is defined in the targets file and through the API; the file's definition wins", id);
            return;
        }
        if (value == null) {
            if (scheduler.remove(id)) {
                LOG.infof("target %s removed", id);
            }
            return;
        }
        Target target;
        try {
            target = TargetRecordCodec.decode(id, value, cipher);
        } catch (TargetRecordCodec.InvalidTargetRecordException e) {
            LOG.errorf("not scraping: %s", e.getMessage());
            return;
        }
        if (!target.kind().networked()) {
            // Shared targets go to whichever collector owns the partition; a local one would be read on the wrong host.
            LOG.errorf("not scraping target %s: %s targets are read from the local cgroup tree and belong in the targets file"
                    + " of the collector on that host", id, target.kind().id());
            return;
        }
        try {
            boolean known = scheduler.targetIds().contains(id);
            scheduler.put(target);
            LOG.infof("target %s %s (%s %s, every %s)", id, known ? "updated" : "added", target.kind().id(), target.address(),
                    io.vigil.model.Durations.format(target.interval()));
        } catch (IllegalArgumentException e) {
            LOG.errorf("not scraping: %s", e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
