package io.vigil.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Secret;
import io.vigil.notifier.dispatch.AckLinks;
import io.vigil.notifier.dispatch.AlertEventsConsumer;
import io.vigil.notifier.dispatch.AlertIntake;
import io.vigil.notifier.dispatch.DispatchLoop;
import io.vigil.notifier.dispatch.DispatchSchema;
import io.vigil.notifier.dispatch.EscalationStepper;
import io.vigil.notifier.dispatch.GroupFlusher;
import io.vigil.notifier.routing.RoutingConfig;
import io.vigil.notifier.routing.RoutingConfigParser;
import io.vigil.testbed.Await;
import io.vigil.testbed.Kafka;
import io.vigil.testbed.Postgres;
import io.vigil.testbed.TestDatabase;
import io.vigil.testbed.WithServices;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole notifier path on real parts: alert events on Kafka → routing and grouping in PostgreSQL →
 * the outbox → a mail in a real SMTP server (GreenMail) or a webhook call to a local HTTP server.
 */
@WithServices({Postgres.class, Kafka.class})
class AlertPipelineTest {

    /** The wire format of vigil.alerts, as the rules role writes it (the server's contract test checks the two agree). */
    private static final ObjectMapper WIRE = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .configure(EnumFeature.WRITE_ENUMS_TO_LOWERCASE, true)
            .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, true).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Postgres postgres;
    private final Kafka kafka;
    private DataSource ds;
    private String topic;
    private KafkaProducer<String, byte[]> producer;
    private Smtp smtp;
    private HttpStub hooks;
    private long eventId = 1;
    private final List<AutoCloseable> running = new ArrayList<>();

    AlertPipelineTest(Postgres postgres, Kafka kafka) {
        this.postgres = postgres;
        this.kafka = kafka;
    }

    @BeforeEach
    void setUp() throws Exception {
        ds = TestDatabase.fresh(postgres, "notifier_pipeline").ds();
        new OutboxSchema(ds).ensure();
        new DispatchSchema(ds).ensure();
        topic = "alerts-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        var props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        smtp = new Smtp();
        smtp.start();
        hooks = new HttpStub(r -> HttpStub.Reply.json(200, "{}"));
    }

    @AfterEach
    void tearDown() throws Exception {
        stopNotifier();
        producer.close();
        hooks.close();
        smtp.close();
    }

    @Test
    void anAlertEventOnKafkaEndsAsADeliveredMailAndItsResolutionAsASecond() throws Exception {
        startNotifier("""
                route:
                  receivers: [dba-mail]
                  group_wait: 0s
                  group_interval: 1s
                """, "group-mail");

        publish(event("GaleraClusterSizeChanged", io.vigil.model.Severity.SEVERE, "pay", null, AlertState.FIRING));
        assertThat(smtp.mail().waitForIncomingEmail(20_000, 1)).isTrue();
        MimeMessage first = smtp.mail().getReceivedMessages()[0];
        assertThat(first.getSubject()).contains("GaleraClusterSizeChanged").contains("FIRING");
        assertThat(first.getAllRecipients()[0].toString()).isEqualTo("dba@example.com");

        publish(event("GaleraClusterSizeChanged", io.vigil.model.Severity.SEVERE, "pay", null, AlertState.RESOLVED));
        assertThat(smtp.mail().waitForIncomingEmail(20_000, 2)).isTrue();
        assertThat(smtp.mail().getReceivedMessages()[1].getSubject()).contains("RESOLVED");

        // The mail is in before the worker records it as sent: the delivery log catches up.
        Await.until(Duration.ofSeconds(10), "both deliveries recorded", () -> allSent(2));
        var log = new Outbox(ds).recent(Optional.empty(), 10);
        assertThat(log).hasSize(2).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(OutboxStatus.SENT);
            assertThat(r.channel()).isEqualTo(ChannelKind.MAIL);
            assertThat(r.providerId()).isNotBlank();
        });
    }

    @Test
    void anAlertStormBecomesABoundedNumberOfGroupedNotificationsAndNoAlertIsLost() throws Exception {
        startNotifier("""
                route:
                  receivers: [noc-hook]
                  group_by: [cluster]
                  group_wait: 2s
                  group_interval: 3s
                """, "group-storm");
        var fingerprints = new HashSet<String>();
        long start = System.nanoTime();
        // 5,000 alerts over 10 s across 50 clusters: 500 per second.
        for (int second = 0; second < 10; second++) {
            long tick = System.nanoTime();
            for (int i = 0; i < 500; i++) {
                int n = second * 500 + i;
                AlertEvent e = event("Storm" + (n % 7), io.vigil.model.Severity.NORMAL, "c" + (n % 50), "db" + n + ":3306",
                        AlertState.FIRING);
                fingerprints.add(e.fingerprint());
                publish(e);
            }
            producer.flush();
            long left = 1_000_000_000L - (System.nanoTime() - tick);
            if (left > 0) {
                Thread.sleep(left / 1_000_000);
            }
        }
        Await.until(Duration.ofSeconds(90), "every alert of the storm in a delivered notification",
                () -> notifiedFingerprints().containsAll(fingerprints));
        double drainSeconds = (System.nanoTime() - start) / 1e9;

        List<HttpStub.Recorded> calls = hooks.requests("POST", "/hook");
        // Per cluster: the first notification after group_wait, then at most one per group_interval
        // while the storm lasts (10 s / 3 s), and one after it: ≤ 6 per cluster.
        assertThat(calls.size()).isBetween(50, 50 * 6);
        var clusters = new HashSet<String>();
        for (var c : calls) {
            clusters.add(JSON.readTree(c.body()).path("groupLabels").path("cluster").asText());
        }
        assertThat(clusters).hasSize(50);
        Await.until(Duration.ofSeconds(10), "every delivery recorded", () -> allSent(calls.size()));
        System.out.printf("alert storm: 5000 alerts, 50 clusters -> %d notifications, drained %.1f s after the first event%n",
                calls.size(), drainSeconds);
    }

    @Test
    void aRestartedNotifierNeitherRepeatsNorLosesNotifications() throws Exception {
        startNotifier("""
                route:
                  receivers: [noc-hook]
                  group_by: [cluster]
                  group_wait: 0s
                  group_interval: 1s
                """, "group-restart");
        for (String c : List.of("c1", "c2", "c3")) {
            publish(event("MySQLDown", io.vigil.model.Severity.SEVERE, c, "db1:3306", AlertState.FIRING));
        }
        producer.flush();
        Await.until(Duration.ofSeconds(20), "three notifications", () -> hooks.requests("POST", "/hook").size() == 3);

        stopNotifier();
        publish(event("MySQLDown", io.vigil.model.Severity.SEVERE, "c1", "db1:3306", AlertState.RESOLVED));
        publish(event("MySQLDown", io.vigil.model.Severity.SEVERE, "c4", "db1:3306", AlertState.FIRING));
        producer.flush();
        startNotifier("""
                route:
                  receivers: [noc-hook]
                  group_by: [cluster]
                  group_wait: 0s
                  group_interval: 1s
                """, "group-restart");

        Await.until(Duration.ofSeconds(30), "the resolution of c1 and the new alert of c4", () -> hooks.requests("POST", "/hook").size() >= 5);
        // The restarted consumer re-reads nothing it committed, and the groups remember what they sent:
        // two more flushes of the dispatch loop add no third notification.
        Thread.sleep(2500);
        var calls = hooks.requests("POST", "/hook");
        assertThat(calls).hasSize(5);
        var after = new ArrayList<String>();
        for (var c : calls.subList(3, 5)) {
            JsonNode body = JSON.readTree(c.body());
            after.add(body.path("groupLabels").path("cluster").asText() + ":" + body.path("alerts").get(0).path("status").asText());
        }
        assertThat(after).containsExactlyInAnyOrder("c1:resolved", "c4:firing");
    }

    @Test
    void twoNotifierInstancesShareTheTopicAndNeverDoubleANotification() throws Exception {
        String routes = """
                route:
                  receivers: [noc-hook]
                  group_by: [cluster]
                  group_wait: 3s
                  group_interval: 1s
                """;
        startNotifier(routes, "group-two");
        startNotifier(routes, "group-two");
        var instances = new HashSet<String>();
        for (int n = 0; n < 200; n++) {
            AlertEvent e = event("ThreadsRunningHigh", io.vigil.model.Severity.NORMAL, "c" + (n % 20), "db" + n + ":3306", AlertState.FIRING);
            instances.add(e.fingerprint());
            publish(e);
        }
        producer.flush();
        Await.until(Duration.ofSeconds(60), "all 200 alerts notified", () -> notifiedFingerprints().containsAll(instances));
        // Two more group intervals: nothing is sent again, by either instance.
        Thread.sleep(2500);

        List<HttpStub.Recorded> calls = hooks.requests("POST", "/hook");
        assertThat(calls).extracting(c -> c.header("Idempotency-Key")).doesNotHaveDuplicates();
        var perCluster = new TreeMap<String, Integer>();
        for (var c : calls) {
            perCluster.merge(JSON.readTree(c.body()).path("groupLabels").path("cluster").asText(), 1, Integer::sum);
        }
        assertThat(perCluster).hasSize(20);
        // Alerts of one cluster arriving within its group_wait (3 s; storing 200 events takes well under
        // a second) go out together; a second notification would mean the two instances' batches
        // straddled the first flush.
        assertThat(perCluster.values()).allSatisfy(n -> assertThat(n).isBetween(1, 2));
    }

    // --- the notifier, assembled as NotifierRole assembles it -----------------------------------

    private void startNotifier(String routes, String group) {
        var mail = Receiver.named("dba-mail", Language.EN_US, ChannelKind.MAIL).withEmail("dba@example.com");
        var hook = Receiver.named("noc-hook", Language.EN_US, ChannelKind.WEBHOOK)
                .withWebhook(URI.create(hooks.baseUri() + "/hook"), WebhookFormat.VIGIL, Secret.of("s"));
        Receivers receivers = Receivers.of(mail, hook);
        RoutingConfig routing = RoutingConfigParser.parse("routes.yaml", routes, Set.of("dba-mail", "noc-hook"));
        var timeouts = new HttpTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
        var channels = new Channels(List.of(new MailChannel(smtp.settings(), Fixtures.RENDERER),
                new WebhookChannel(Secret.NONE, timeouts, Fixtures.RENDERER)));
        var worker = new DeliveryWorker(new Outbox(ds), channels, receivers,
                new WorkerSettings(50, Duration.ofSeconds(30), Duration.ofMillis(200), new RetryPolicy(5, Duration.ofMillis(50),
                        Duration.ofSeconds(1), 0.2)), new RateLimiter(1_000_000, Duration.ofNanos(1), System::nanoTime),
                new SplittableRandom(7));
        worker.start();
        var loop = new DispatchLoop(new GroupFlusher(ds, () -> routing, receivers, "http://vigil.example"),
                new EscalationStepper(ds, () -> routing, receivers, "http://vigil.example", AckLinks.load(ds, "http://vigil.example")),
                Duration.ofMillis(100), worker::wakeUp);
        loop.start();
        var consumer = new AlertEventsConsumer(new AlertEventsConsumer.Settings(kafka.bootstrapServers(), topic, group),
                new AlertIntake(ds, () -> routing), loop::wakeUp);
        consumer.start();
        running.add(worker);
        running.add(loop);
        running.add(consumer);
    }

    private void stopNotifier() throws Exception {
        for (AutoCloseable c : running.reversed()) {
            c.close();
        }
        running.clear();
    }

    private boolean allSent(int expected) {
        var log = new Outbox(ds).recent(Optional.empty(), 10_000);
        return log.size() == expected && log.stream().allMatch(r -> r.status() == OutboxStatus.SENT);
    }

    private Set<String> notifiedFingerprints() {
        var out = new HashSet<String>();
        for (var r : hooks.requests("POST", "/hook")) {
            try {
                for (JsonNode a : JSON.readTree(r.body()).path("alerts")) {
                    var labels = new TreeMap<String, String>();
                    a.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
                    out.add(labels.get("alertname") + labels);
                }
            } catch (IOException e) {
                throw new AssertionError("webhook body is not JSON", e);
            }
        }
        return out;
    }

    private void publish(AlertEvent e) throws Exception {
        producer.send(new ProducerRecord<>(topic, e.fingerprint(), WIRE.writeValueAsBytes(e)));
    }

    private AlertEvent event(String rule, io.vigil.model.Severity severity, String cluster, String instance, AlertState state) {
        var labels = new TreeMap<String, String>();
        labels.put("alertname", rule);
        labels.put("cluster", cluster);
        if (instance != null) {
            labels.put("instance", instance);
        }
        Instant now = Instant.now();
        return new AlertEvent(eventId++, rule + labels, rule, state, null, severity, labels,
                Map.of("summary", rule + " in " + cluster), 3.0, now.minusSeconds(30), now.minusSeconds(5),
                state == AlertState.RESOLVED ? now : null, now, "up{cluster=\"" + cluster + "\"}");
    }
}
