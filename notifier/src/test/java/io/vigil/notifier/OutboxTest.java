package io.vigil.notifier;

import io.vigil.model.Secret;
import io.vigil.testbed.Await;
import io.vigil.testbed.Postgres;
import io.vigil.testbed.WithServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox and the delivery worker against real PostgreSQL, SMTP (GreenMail) and local HTTP providers. */
@WithServices(Postgres.class)
class OutboxTest {

    private static final HttpTimeouts TIMEOUTS = new HttpTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
    private static final RetryPolicy FAST_RETRY = new RetryPolicy(5, Duration.ofMillis(20), Duration.ofMillis(200), 0.2);

    private final Postgres postgres;
    private DataSource ds;
    private Outbox outbox;
    private HttpStub hooks;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    OutboxTest(Postgres postgres) {
        this.postgres = postgres;
    }

    @BeforeEach
    void setUp() throws Exception {
        ds = TestDb.fresh(postgres, "notifier_outbox");
        outbox = new Outbox(ds);
        hooks = new HttpStub(r -> HttpStub.Reply.json(200, "{}"));
        closeables.add(hooks);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
    }

    private Receiver hookReceiver(String name) {
        return Receiver.named(name, Language.EN_US, ChannelKind.WEBHOOK)
                .withWebhook(URI.create(hooks.baseUri() + "/hook"), WebhookFormat.VIGIL, Secret.of("s"));
    }

    private DeliveryWorker worker(Channels channels, Receivers receivers, RetryPolicy retry, RateLimiter limiter) {
        var w = new DeliveryWorker(new Outbox(ds), channels, receivers,
                new WorkerSettings(10, Duration.ofSeconds(30), Duration.ofMillis(20), retry), limiter, new SplittableRandom(3));
        closeables.add(w);
        return w;
    }

    private static RateLimiter unlimited() {
        return new RateLimiter(1_000_000, Duration.ofNanos(1), System::nanoTime);
    }

    private Channel webhook() {
        return new WebhookChannel(Secret.NONE, TIMEOUTS, Fixtures.RENDERER);
    }

    private static void drain(DeliveryWorker worker) {
        while (worker.runOnce() > 0) {
            // until nothing is due
        }
    }

    private DeliveryRecord only(String receiver) {
        return outbox.recent(Optional.of(receiver), 10).getFirst();
    }

    @Test
    void schemaCreationIsIdempotentAndSafeToRace() throws Exception {
        var schema = new OutboxSchema(ds);
        var start = new CountDownLatch(1);
        try (var pool = Executors.newFixedThreadPool(4)) {
            var futures = new ArrayList<CompletableFuture<Void>>();
            for (int i = 0; i < 4; i++) {
                futures.add(CompletableFuture.runAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    schema.ensure();
                }, pool));
            }
            start.countDown();
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
        }
        assertThat(TestDb.count(ds, "SELECT count(*) FROM notification_outbox")).isZero();
    }

    @Test
    void enqueueTwiceDeliversOnce() {
        var hook = hookReceiver("hook");
        var group = Fixtures.replicationLag("twice");

        assertThat(outbox.enqueue(group, hook, "firing")).isPresent();
        assertThat(outbox.enqueue(group, hook, "firing")).isEmpty();
        assertThat(outbox.enqueue(group, hook, "repeat-1")).isPresent(); // another step is another notification
        drain(worker(Channels.of(webhook()), Receivers.of(hook), FAST_RETRY, unlimited()));

        var keys = hooks.requests().stream().map(r -> r.header("Idempotency-Key")).toList();
        assertThat(keys).hasSize(2).doesNotHaveDuplicates()
                .contains(IdempotencyKey.of("twice", "hook", "firing"), IdempotencyKey.of("twice", "hook", "repeat-1"));
        assertThat(outbox.recent(Optional.of("hook"), 10)).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(OutboxStatus.SENT);
            assertThat(r.attempts()).isEqualTo(1);
            assertThat(r.channel()).isEqualTo(ChannelKind.WEBHOOK);
        });
    }

    @Test
    void twoWorkersRacingDeliverEachRowExactlyOnce() throws Exception {
        var hook = hookReceiver("race");
        hooks.answer(r -> {
            try {
                Thread.sleep(3); // keeps rows in flight while the other worker claims
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new HttpStub.Reply(200, "application/json", "{}", Map.of("X-Request-Id", "req-" + r.header("Idempotency-Key").hashCode()));
        });
        int rows = 60;
        for (int i = 0; i < rows; i++) {
            outbox.enqueue(Fixtures.replicationLag("race-" + i), hook, "firing");
        }
        var a = worker(Channels.of(webhook()), Receivers.of(hook), FAST_RETRY, unlimited());
        var b = worker(Channels.of(webhook()), Receivers.of(hook), FAST_RETRY, unlimited());
        var start = new CountDownLatch(1);
        try (var pool = Executors.newFixedThreadPool(2)) {
            var fa = pool.submit(() -> {
                start.await();
                drain(a);
                return null;
            });
            var fb = pool.submit(() -> {
                start.await();
                drain(b);
                return null;
            });
            start.countDown();
            fa.get();
            fb.get();
        }

        var perKey = hooks.requests().stream().collect(Collectors.groupingBy(r -> r.header("Idempotency-Key"), Collectors.counting()));
        assertThat(hooks.requests()).hasSize(rows);
        assertThat(perKey).hasSize(rows).allSatisfy((k, n) -> assertThat(n).isEqualTo(1L));
        assertThat(TestDb.count(ds, "SELECT count(*) FROM notification_outbox WHERE status = 'sent' AND attempts = 1"
                + " AND provider_id LIKE 'req-%'")).isEqualTo(rows);
    }

    @Test
    void mailRefusedWhileSmtpIsDownArrivesAfterItRecovers() throws Exception {
        var smtp = new Smtp();
        closeables.add(smtp);
        var li = Receiver.named("li", Language.ZH_CN, ChannelKind.MAIL).withEmail("li@example.com");
        var retry = new RetryPolicy(50, Duration.ofMillis(50), Duration.ofMillis(200), 0.2);
        var worker = worker(Channels.of(new MailChannel(smtp.settings(), Fixtures.RENDERER)), Receivers.of(li), retry, unlimited());

        outbox.enqueue(Fixtures.chinese("smtp-down"), li, "firing");
        worker.start();
        Await.until(Duration.ofSeconds(20), "two refused attempts", () -> only("li").attempts() >= 2);
        var waiting = only("li");
        assertThat(waiting.status()).isIn(OutboxStatus.PENDING, OutboxStatus.SENDING);
        assertThat(waiting.lastError()).contains("cannot reach the SMTP server", "channel=mail receiver=li outbox=" + waiting.id());

        var greenMail = smtp.start();
        Await.until(Duration.ofSeconds(20), "the mail to arrive", () -> greenMail.getReceivedMessages().length == 1);
        Await.until(Duration.ofSeconds(10), "the row to be recorded as sent", () -> only("li").status() == OutboxStatus.SENT);
        var sent = only("li");
        assertThat(sent.providerId()).isEqualTo(greenMail.getReceivedMessages()[0].getMessageID());
        assertThat(sent.lastError()).isNull();
        assertThat(greenMail.getReceivedMessages()[0].getSubject()).startsWith("[告警:1][严重]");
    }

    @Test
    void aChannelThatKeepsFailingFailsOverToTheNext() throws Exception {
        var wechat = new HttpStub(r -> HttpStub.Reply.json(200, "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}"));
        closeables.add(wechat);
        var ops = Receiver.named("ops", Language.EN_US, ChannelKind.WECHAT, ChannelKind.WEBHOOK)
                .withWechatKey(Secret.of("robot-key-1"))
                .withWebhook(URI.create(hooks.baseUri() + "/hook"), WebhookFormat.ZABBIX, Secret.NONE);
        var retry = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50), 0.2);
        var worker = worker(Channels.of(new WeChatWorkChannel(wechat.baseUri(), TIMEOUTS, Fixtures.RENDERER), webhook()),
                Receivers.of(ops), retry, unlimited());

        outbox.enqueue(Fixtures.replicationLag("failover"), ops, "firing");
        worker.start();
        Await.until(Duration.ofSeconds(20), "the webhook to take over", () -> hooks.requests().size() == 1);
        Await.until(Duration.ofSeconds(10), "the failover row to be sent", () -> only("ops").status() == OutboxStatus.SENT);

        assertThat(wechat.requests()).hasSize(3);
        var log = outbox.recent(Optional.of("ops"), 10);
        assertThat(log).hasSize(2);
        var failover = log.get(0);
        var original = log.get(1);
        assertThat(original.channel()).isEqualTo(ChannelKind.WECHAT);
        assertThat(original.status()).isEqualTo(OutboxStatus.FAILED);
        assertThat(original.attempts()).isEqualTo(3);
        assertThat(original.lastError()).contains("45009", "outbox=" + original.id()).doesNotContain("robot-key-1");
        assertThat(failover.channel()).isEqualTo(ChannelKind.WEBHOOK);
        assertThat(failover.idempotencyKey()).isEqualTo(original.idempotencyKey() + "/failover-webhook");
        assertThat(failover.attempts()).isEqualTo(1);
        assertThat(hooks.requests().getFirst().header("Idempotency-Key")).isEqualTo(failover.idempotencyKey());
    }

    @Test
    void aPermanentFailureFailsOverAtOnceAndTheLastChannelStopsThere() {
        var nobody = Receiver.named("nobody", Language.EN_US, ChannelKind.MAIL, ChannelKind.WEBHOOK); // no address for either
        var worker = worker(Channels.of(webhook()), Receivers.of(nobody), FAST_RETRY, unlimited()); // mail not configured

        outbox.enqueue(Fixtures.replicationLag("nowhere"), nobody, "firing");
        drain(worker);

        var log = outbox.recent(Optional.of("nobody"), 10);
        assertThat(log).extracting(DeliveryRecord::channel, DeliveryRecord::status, DeliveryRecord::attempts)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ChannelKind.WEBHOOK, OutboxStatus.FAILED, 1),
                        org.assertj.core.groups.Tuple.tuple(ChannelKind.MAIL, OutboxStatus.FAILED, 1));
        assertThat(log.get(1).lastError()).contains("channel mail is not configured");
        assertThat(log.get(0).lastError()).contains("receiver has no webhook URL");
        assertThat(hooks.requests()).isEmpty();
    }

    @Test
    void rateLimitedNotificationsWaitWithoutSpendingAttempts() {
        var hook = hookReceiver("busy");
        var worker = worker(Channels.of(webhook()), Receivers.of(hook), FAST_RETRY,
                new RateLimiter(2, Duration.ofHours(1), System::nanoTime));
        for (int i = 0; i < 3; i++) {
            outbox.enqueue(Fixtures.replicationLag("flap-" + i), hook, "firing");
        }
        drain(worker);

        assertThat(hooks.requests()).hasSize(2);
        var waiting = outbox.recent(Optional.of("busy"), 10).stream().filter(r -> r.status() == OutboxStatus.PENDING).toList();
        assertThat(waiting).singleElement().satisfies(r -> assertThat(r.attempts()).isZero());
        assertThat(TestDb.count(ds, "SELECT count(*) FROM notification_outbox WHERE status = 'pending'"
                + " AND next_attempt_at > now() + interval '50 minutes'")).isEqualTo(1);
    }

    @Test
    void unknownReceiverFails() {
        outbox.enqueue(Fixtures.replicationLag("ghost"), hookReceiver("ghost"), "firing");
        drain(worker(Channels.of(webhook()), Receivers.of(), FAST_RETRY, unlimited()));
        assertThat(only("ghost").status()).isEqualTo(OutboxStatus.FAILED);
        assertThat(only("ghost").lastError()).contains("unknown receiver ghost");
    }
}
