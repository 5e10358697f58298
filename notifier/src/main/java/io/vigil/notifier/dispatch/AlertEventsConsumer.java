package io.vigil.notifier.dispatch;

import io.vigil.model.AlertEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consumes {@code vigil.alerts} in the notifier's group: each poll's events go to PostgreSQL in one
 * transaction, and only then are the offsets committed. When PostgreSQL refuses, the consumer seeks
 * back to the batch's first offsets and tries again, so an event is never skipped; a redelivered one
 * changes nothing ({@link AlertIntake} keeps the newest event id). Several notifier instances share
 * the topic's partitions.
 */
public final class AlertEventsConsumer implements Runnable, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AlertEventsConsumer.class);

    public record Settings(String bootstrapServers, String topic, String group) {
    }

    private final Settings settings;
    private final AlertIntake intake;
    private final Runnable onAccepted;
    private final Properties props = new Properties();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong badRecords = new AtomicLong();
    private final AtomicLong storeFailures = new AtomicLong();
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    /** @param onAccepted called after a batch is stored: the dispatch loop looks for due groups at once */
    public AlertEventsConsumer(Settings settings, AlertIntake intake, Runnable onAccepted) {
        this.settings = settings;
        this.intake = intake;
        this.onAccepted = onAccepted;
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A new notifier reads the topic from its start: it learns the alerts firing now (older
        // changes of the same alert are superseded by newer event ids and never notified).
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-notifier");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
    }

    public synchronized void start() {
        thread = new Thread(this, "vigil-notifier-alerts");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        while (running) {
            try {
                session();
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.errorf(e, "notifier: alert consumer session failed; rejoining in 5 s");
                if (!sleep(5000)) {
                    return;
                }
            }
        }
    }

    private void session() {
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        try {
            consumer.subscribe(List.of(settings.topic()));
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                if (store(records)) {
                    consumer.commitSync();
                    onAccepted.run();
                } else {
                    rewind(records);
                    sleep(2000);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private boolean store(ConsumerRecords<String, byte[]> records) {
        var events = new ArrayList<AlertEvent>(records.count());
        for (ConsumerRecord<String, byte[]> r : records) {
            try {
                events.add(AlertEventJson.decode(r.value()));
            } catch (IllegalArgumentException e) {
                if (badRecords.incrementAndGet() % 100 == 1) {
                    LOG.warnf("notifier: skipping record %s-%d@%d: %s (%d so far)", r.topic(), r.partition(), r.offset(),
                            e.getMessage(), badRecords.get());
                }
            }
        }
        try {
            intake.accept(events);
            accepted.addAndGet(events.size());
            return true;
        } catch (DispatchException e) {
            storeFailures.incrementAndGet();
            LOG.warnf("notifier: %s; retrying the same %d events in 2 s", e.getMessage(), events.size());
            return false;
        }
    }

    /** Back to the first offset of each partition in the batch: nothing after a failed store is skipped. */
    private void rewind(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
        }
        first.forEach(consumer::seek);
    }

    private boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Events stored so far (redeliveries included). */
    public long accepted() {
        return accepted.get();
    }

    public long badRecords() {
        return badRecords.get();
    }

    public long storeFailures() {
        return storeFailures.get();
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
