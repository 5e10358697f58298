package io.vigil.collector;

import io.vigil.model.Labels;
import io.vigil.model.SampleBatch;
import io.vigil.model.Secret;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import io.vigil.testbed.Kafka;
import io.vigil.testbed.WithServices;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two collectors in one consumer group share the targets of a real Kafka topic by partition,
 * without overlap, and the survivor takes over every target when the other leaves.
 */
@WithServices(Kafka.class)
class KafkaTargetsSharingTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    /** Scrapes nothing: this test is about who scrapes, not what. */
    private static final Scraper.Factory IDLE = new Scraper.Factory() {
        @Override
        public TargetKind kind() {
            return TargetKind.MYSQL;
        }

        @Override
        public Scraper create(Target target) {
            return new Scraper() {
                @Override
                public List<Reading> scrape() {
                    return List.of();
                }

                @Override
                public void close() {
                }
            };
        }
    };

    private static final SamplePublisher DISCARD = new SamplePublisher() {
        @Override
        public void publish(SampleBatch batch) {
        }

        @Override
        public void close() {
        }
    };

    @Test
    void collectorsInOneGroupSplitTheTargetsAndTheSurvivorTakesThemAll(Kafka kafka) throws Exception {
        String topic = "vigil.targets.sharing-" + UUID.randomUUID();
        String group = "sharing-" + UUID.randomUUID();
        var props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1).configs(Map.of("cleanup.policy", "compact")))).all().get();
        }
        Set<String> all = IntStream.range(0, 30).mapToObj(i -> "shared-db-" + i).collect(Collectors.toSet());
        var producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (var producer = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer())) {
            for (String id : all) {
                var target = new Target(id, TargetKind.MYSQL, "127.0.0.1:1", null, null, Secret.NONE,
                        Duration.ofMinutes(10), Duration.ofSeconds(1), Labels.EMPTY);
                producer.send(new ProducerRecord<>(topic, id, TargetRecordCodec.encode(TargetRecordCodec.definition(target), null))).get();
            }
            // Deleted before any collector starts: compaction state says it is gone, so nobody scrapes it.
            producer.send(new ProducerRecord<>(topic, "shared-db-0", null)).get();
        }
        Set<String> live = new HashSet<>(all);
        live.remove("shared-db-0");

        try (var schedulerA = new ScrapeScheduler(List.of(IDLE), DISCARD);
             var schedulerB = new ScrapeScheduler(List.of(IDLE), DISCARD);
             var a = new KafkaTargetsConsumer(kafka.bootstrapServers(), topic, group, schedulerA, Set.of(), Optional.empty())) {
            a.start();
            await(() -> schedulerA.targetIds().equals(live), "collector A alone scrapes every live target");

            var b = new KafkaTargetsConsumer(kafka.bootstrapServers(), topic, group, schedulerB, Set.of(), Optional.empty());
            b.start();
            await(() -> !schedulerB.targetIds().isEmpty() && union(schedulerA, schedulerB).equals(live)
                    && disjoint(schedulerA, schedulerB), "A and B split the targets without overlap");
            assertThat(schedulerA.targetIds()).isNotEmpty();

            b.close();
            await(() -> schedulerA.targetIds().equals(live), "A takes every target back when B leaves");
        }
    }

    @Test
    void aFileTargetWinsOverTheSameIdFromKafka(Kafka kafka) {
        try (var scheduler = new ScrapeScheduler(List.of(IDLE), DISCARD);
             var consumer = new KafkaTargetsConsumer(kafka.bootstrapServers(), "unused-" + UUID.randomUUID(), "unused",
                     scheduler, Set.of("file-db"), Optional.empty())) {
            var fromFile = new Target("file-db", TargetKind.MYSQL, "127.0.0.1:1", null, null, Secret.NONE,
                    Duration.ofMinutes(10), Duration.ofSeconds(1), Labels.EMPTY);
            scheduler.start(List.of(fromFile));
            var fromApi = new Target("file-db", TargetKind.MYSQL, "127.0.0.1:2", null, null, Secret.NONE,
                    Duration.ofMinutes(10), Duration.ofSeconds(1), Labels.EMPTY);

            consumer.apply("file-db", TargetRecordCodec.encode(TargetRecordCodec.definition(fromApi), null));
            consumer.apply("file-db", null);

            assertThat(scheduler.target("file-db")).map(Target::address).contains("127.0.0.1:1");
        }
    }

    private static Set<String> union(ScrapeScheduler x, ScrapeScheduler y) {
        var u = new HashSet<>(x.targetIds());
        u.addAll(y.targetIds());
        return u;
    }

    private static boolean disjoint(ScrapeScheduler x, ScrapeScheduler y) {
        var i = new HashSet<>(x.targetIds());
        i.retainAll(y.targetIds());
        return i.isEmpty();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + DEADLINE.toSeconds() + " s: " + what);
            }
            Thread.sleep(100);
        }
    }
}
