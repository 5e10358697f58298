package io.vigil.notifier;

import io.vigil.model.Secret;
import io.vigil.testbed.Postgres;
import io.vigil.testbed.WithServices;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** A refused Twilio call through the whole path: worker log, delivery log and database hold no token. */
@WithServices(Postgres.class)
class SecretHygieneTest {

    private static final String WRONG_TOKEN = "wrong-token-0f1e2d3c4b5a69788796a5b4";

    private final DataSource ds;

    SecretHygieneTest(Postgres postgres) {
        ds = TestDb.fresh(postgres, "notifier_secrets");
    }

    @Test
    void refusedTwilioCallLeavesNoTokenInLogsOrTheOutbox() throws Exception {
        var alice = Receiver.named("alice", Language.EN_US, ChannelKind.SMS, ChannelKind.VOICE).withPhone("+8613800138000");
        var outbox = new Outbox(ds);
        String logged;
        try (var twilio = new TwilioStub(); var log = new LogCapture()) {
            var settings = twilio.settings(WRONG_TOKEN);
            try (var worker = new DeliveryWorker(outbox, Channels.of(new TwilioSmsChannel(settings, Fixtures.RENDERER),
                    new TwilioVoiceChannel(settings, Fixtures.RENDERER)), Receivers.of(alice),
                    new WorkerSettings(10, Duration.ofSeconds(30), Duration.ofMillis(20), new RetryPolicy(3, Duration.ofMillis(10),
                            Duration.ofMillis(50), 0.1)), new RateLimiter(10, Duration.ofSeconds(1), System::nanoTime), new SplittableRandom(2))) {
                outbox.enqueue(Fixtures.replicationLag("secrets"), alice, "firing");
                while (worker.runOnce() > 0) {
                    // sms refused (401, not retryable) → voice refused → nothing left
                }
            }
            assertThat(twilio.posts("Messages")).hasSize(1);
            assertThat(twilio.posts("Calls")).hasSize(1);
            logged = log.text();
        }
        String basic = Base64.getEncoder().encodeToString((TwilioStub.SID + ":" + WRONG_TOKEN).getBytes());
        assertThat(logged).contains("channel=sms receiver=alice", "HTTP 401", "failing over to voice")
                .doesNotContain(WRONG_TOKEN).doesNotContain(basic);
        var records = outbox.recent(Optional.of("alice"), 10);
        assertThat(records).hasSize(2).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(OutboxStatus.FAILED);
            assertThat(r.lastError()).contains("HTTP 401").doesNotContain(WRONG_TOKEN);
        });
        assertThat(TestDb.count(ds, "SELECT count(*) FROM notification_outbox WHERE payload::text LIKE '%" + WRONG_TOKEN
                + "%' OR coalesce(last_error, '') LIKE '%" + WRONG_TOKEN + "%'")).isZero();
        assertThat(Secret.of(WRONG_TOKEN).toString()).isEqualTo("******");
    }
}
