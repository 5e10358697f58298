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
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Killed between sent and recorded": a worker claims a row and dies (here: claims and never
 * comes back). Once its lease expires another worker takes the row over and must not page twice.
 */
@WithServices(Postgres.class)
class LeaseRecoveryTest {

    private static final Duration SHORT_LEASE = Duration.ofMillis(200);

    private final Postgres postgres;
    private DataSource ds;
    private Outbox outbox;
    private TwilioStub twilio;
    private DeliveryWorker worker;
    private final Receiver alice = Receiver.named("alice", Language.EN_US, ChannelKind.SMS).withPhone("+8613800138000");

    LeaseRecoveryTest(Postgres postgres) {
        this.postgres = postgres;
    }

    @BeforeEach
    void setUp() throws Exception {
        ds = TestDb.fresh(postgres, "notifier_lease");
        outbox = new Outbox(ds);
        twilio = new TwilioStub();
        worker = new DeliveryWorker(new Outbox(ds), Channels.of(new TwilioSmsChannel(twilio.settings(), Fixtures.RENDERER)),
                Receivers.of(alice), new WorkerSettings(10, Duration.ofSeconds(30), Duration.ofMillis(20),
                new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50), 0.1)),
                new RateLimiter(100, Duration.ofSeconds(1), System::nanoTime), new SplittableRandom(5));
    }

    @AfterEach
    void tearDown() {
        worker.close();
        twilio.close();
    }

    /** What the dead worker left behind: the row claimed, marked sending, its lease running out. */
    private ClaimedRow claimAndDie(String groupKey) {
        outbox.enqueue(Fixtures.replicationLag(groupKey), alice, "firing");
        var claimed = new Outbox(ds).claim(10, SHORT_LEASE);
        assertThat(claimed).singleElement().satisfies(r -> assertThat(r.recovered()).isFalse());
        assertThat(outbox.recent(Optional.empty(), 1).getFirst().status()).isEqualTo(OutboxStatus.SENDING);
        return claimed.getFirst();
    }

    private void recoverWhenLeaseExpires() {
        Await.until(Duration.ofSeconds(10), "the expired lease to be taken over", () -> worker.runOnce() == 1);
    }

    @Test
    void diedBeforeCallingTwilioIsSentOnceAfterTheLeaseExpires() {
        claimAndDie("died-before");
        assertThat(worker.runOnce()).as("the lease still runs").isZero();

        recoverWhenLeaseExpires();

        assertThat(twilio.posts("Messages")).hasSize(1);
        var record = outbox.recent(Optional.empty(), 1).getFirst();
        assertThat(record.status()).isEqualTo(OutboxStatus.SENT);
        assertThat(record.attempts()).isEqualTo(2);
        assertThat(record.providerId()).startsWith("SM");
        assertThat(record.note()).contains("before the provider was called");
        assertThat(worker.runOnce()).isZero();
    }

    @Test
    void diedAfterTwilioAcceptedIsRecordedWithoutSendingAgain() {
        claimAndDie("died-after");
        var n = Fixtures.notification(Fixtures.replicationLag("died-after"), alice, ChannelKind.SMS);
        String sid = twilio.preload(alice.phone(), new TwilioSmsChannel(twilio.settings(), Fixtures.RENDERER).body(n));

        recoverWhenLeaseExpires();

        assertThat(twilio.posts("Messages")).isEmpty();
        var record = outbox.recent(Optional.empty(), 1).getFirst();
        assertThat(record.status()).isEqualTo(OutboxStatus.SENT);
        assertThat(record.providerId()).isEqualTo(sid);
        assertThat(record.note()).contains("provider confirms");
    }

    @Test
    void aWorkerThatOutlivedItsLeaseCannotOverwriteTheNewOwner() {
        ClaimedRow stale = claimAndDie("outlived");
        recoverWhenLeaseExpires();

        assertThat(outbox.markSent(stale, "SMstale", null)).isFalse();
        assertThat(outbox.retryLater(stale, Duration.ZERO, "late failure", null)).isFalse();
        assertThat(outbox.fail(stale, "late failure", Optional.empty())).isFalse();
        var record = outbox.recent(Optional.empty(), 1).getFirst();
        assertThat(record.status()).isEqualTo(OutboxStatus.SENT);
        assertThat(record.providerId()).isNotEqualTo("SMstale");
    }

    @Test
    void channelsThatCannotAskTheProviderResendAndSaySo() throws Exception {
        try (var hooks = new HttpStub(r -> HttpStub.Reply.json(200, "{}"))) {
            var bob = Receiver.named("bob", Language.EN_US, ChannelKind.WEBHOOK)
                    .withWebhook(URI.create(hooks.baseUri() + "/h"), WebhookFormat.VIGIL, Secret.NONE);
            try (var hookWorker = new DeliveryWorker(new Outbox(ds), Channels.of(new WebhookChannel(Secret.NONE,
                    HttpTimeouts.DEFAULT, Fixtures.RENDERER)), Receivers.of(bob),
                    new WorkerSettings(10, Duration.ofSeconds(30), Duration.ofMillis(20), new RetryPolicy(3, Duration.ofMillis(10),
                            Duration.ofMillis(50), 0.1)), new RateLimiter(100, Duration.ofSeconds(1), System::nanoTime), new SplittableRandom(1))) {
                outbox.enqueue(Fixtures.replicationLag("hook-lease"), bob, "firing");
                new Outbox(ds).claim(10, SHORT_LEASE);
                Await.until(Duration.ofSeconds(10), "the expired lease to be taken over", () -> hookWorker.runOnce() == 1);
            }
            assertThat(hooks.requests()).singleElement()
                    .satisfies(r -> assertThat(r.header("Idempotency-Key")).isEqualTo(IdempotencyKey.of("hook-lease", "bob", "firing")));
            assertThat(outbox.recent(Optional.of("bob"), 1).getFirst().note()).contains("resent with the same Idempotency-Key");
        }
    }
}
