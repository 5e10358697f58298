package io.vigil.notifier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.Base64;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The real Twilio SDK against a local server that speaks Twilio's REST API. */
class TwilioChannelsTest {

    private TwilioStub twilio;
    private final Receiver alice = Receiver.named("alice", Language.EN_US, ChannelKind.SMS, ChannelKind.VOICE).withPhone("+8613800138000");
    private final Receiver li = Receiver.named("li", Language.ZH_CN, ChannelKind.SMS, ChannelKind.VOICE).withPhone("+8613900139000");

    @BeforeEach
    void start() throws Exception {
        twilio = new TwilioStub();
    }

    @AfterEach
    void stop() {
        twilio.close();
    }

    @Test
    void smsIsPostedToTheMessagesResourceWithBasicAuthAndFormFields() throws Exception {
        var channel = new TwilioSmsChannel(twilio.settings(), Fixtures.RENDERER);
        var n = Fixtures.notification(Fixtures.replicationLag("g1"), alice, ChannelKind.SMS);

        DeliveryResult result = channel.deliver(n);

        assertThat(result.providerId()).matches("SM[0-9a-f]{32}");
        var post = twilio.posts("Messages").getFirst();
        assertThat(post.path()).isEqualTo("/2010-04-01/Accounts/" + TwilioStub.SID + "/Messages.json");
        assertThat(post.header("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString((TwilioStub.SID + ":" + TwilioStub.TOKEN).getBytes()));
        assertThat(post.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(post.form()).containsEntry("To", "+8613800138000").containsEntry("From", TwilioStub.FROM)
                .containsEntry("Body", "[FIRING:1][SEVERE] MySqlReplicationLag: replica 12 minutes behind @pay-2:3306");
    }

    @Test
    void chineseSmsFitsOneUcs2Segment() throws Exception {
        var channel = new TwilioSmsChannel(twilio.settings(), Fixtures.RENDERER);
        channel.deliver(Fixtures.notification(Fixtures.chinese("g2"), li, ChannelKind.SMS));

        String body = twilio.posts("Messages").getFirst().form().get("Body");
        assertThat(body).startsWith("[告警:1][严重] MySqlReplicationLag: 支付集群").endsWith("…").hasSize(70);
    }

    @Test
    void voiceCallCarriesTwimlThatSaysTheAlertAndGathersOneDigit() throws Exception {
        var channel = new TwilioVoiceChannel(twilio.settings(), Fixtures.RENDERER);
        var n = Fixtures.notification(Fixtures.chinese("g3"), li, ChannelKind.VOICE);

        DeliveryResult result = channel.deliver(n);

        assertThat(result.providerId()).matches("CA[0-9a-f]{32}");
        var post = twilio.posts("Calls").getFirst();
        assertThat(post.path()).isEqualTo("/2010-04-01/Accounts/" + TwilioStub.SID + "/Calls.json");
        var form = post.form();
        assertThat(form).containsEntry("To", "+8613900139000").containsEntry("From", TwilioStub.FROM);
        String twiml = form.get("Twiml");
        assertThat(twiml).startsWith("<?xml").contains("<Response>")
                .contains("<Say language=\"zh-CN\">Vigil 告警。 告警/严重. MySqlReplicationLag. 支付集群")
                .contains("<Gather action=\"https://vigil.example.com/api/v1/notifier/voice/ack?outbox=42\"")
                .contains("numDigits=\"1\"")
                .contains("确认请按 1。</Say></Gather>");
    }

    @Test
    void englishReceiversHearEnglish() throws Exception {
        new TwilioVoiceChannel(twilio.settings(), Fixtures.RENDERER)
                .deliver(Fixtures.notification(Fixtures.replicationLag("g4"), alice, ChannelKind.VOICE));
        assertThat(twilio.posts("Calls").getFirst().form().get("Twiml"))
                .contains("<Say language=\"en-US\">Vigil alert. FIRING/SEVERE. MySqlReplicationLag. replica 12 minutes behind.")
                .contains("Press 1 to acknowledge.");
    }

    @Test
    void rejectedNumberIsPermanentServerErrorIsRetryable() {
        var channel = new TwilioSmsChannel(twilio.settings(), Fixtures.RENDERER);
        var n = Fixtures.notification(Fixtures.replicationLag("g5"), alice, ChannelKind.SMS);

        twilio.failNext(1, 400, 21211, "The 'To' number +8613800138000 is not a valid phone number.");
        var bad = catchThrowableOfType(DeliveryException.class, () -> channel.deliver(n));
        assertThat(bad.retryable()).isFalse();
        assertThat(bad.getMessage()).contains("channel=sms receiver=alice outbox=42", "HTTP 400", "21211");

        // The SDK itself retries 5xx a few times; once it gives up the outbox's own retry takes over.
        int before = twilio.posts("Messages").size();
        twilio.failNext(100, 500, 20500, "Internal Server Error");
        var down = catchThrowableOfType(DeliveryException.class, () -> channel.deliver(n));
        assertThat(down.retryable()).isTrue();
        assertThat(twilio.posts("Messages").size() - before).isGreaterThan(1);

        // 429 is retried once by the SDK's HTTP client, then surfaces as retryable.
        twilio.failNext(100, 429, 20429, "Too Many Requests");
        assertThat(catchThrowableOfType(DeliveryException.class, () -> channel.deliver(n)).retryable()).isTrue();
    }

    @Test
    void failingCallNeverRevealsTheAuthTokenInExceptionOrLog() {
        String wrongToken = "wrong-token-9d8c7b6a5f4e3d2c1b0a";
        var channel = new TwilioSmsChannel(twilio.settings(wrongToken), Fixtures.RENDERER);
        var n = Fixtures.notification(Fixtures.replicationLag("g6"), alice, ChannelKind.SMS);

        DeliveryException e;
        String logged;
        try (var log = new LogCapture()) {
            e = catchThrowableOfType(DeliveryException.class, () -> channel.deliver(n));
            logged = log.text();
        }

        assertThat(twilio.requests()).hasSize(1); // the SDK really called the stub and was refused
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("HTTP 401", "20003");
        assertThat(stackTrace(e)).doesNotContain(wrongToken).doesNotContain(Base64.getEncoder()
                .encodeToString((TwilioStub.SID + ":" + wrongToken).getBytes()));
        assertThat(logged).contains("BEGIN Twilio API Request").doesNotContain(wrongToken); // the SDK's debug log was captured
        assertThat(twilio.settings(wrongToken).toString()).doesNotContain(wrongToken);
    }

    @Test
    void unreachableTwilioIsRetryable() {
        var settings = new TwilioSettings(TwilioStub.SID, io.vigil.model.Secret.of(TwilioStub.TOKEN), TwilioStub.FROM,
                URI.create("https://vigil.example.com/ack"), Optional.of(URI.create("http://localhost:1")));
        var channel = new TwilioSmsChannel(settings, Fixtures.RENDERER);
        var e = catchThrowableOfType(DeliveryException.class,
                () -> channel.deliver(Fixtures.notification(Fixtures.replicationLag("g7"), alice, ChannelKind.SMS)));
        assertThat(e.retryable()).isTrue();
        assertThat(stackTrace(e)).doesNotContain(TwilioStub.TOKEN);
    }

    @Test
    void receiverWithoutPhoneIsPermanent() {
        var channel = new TwilioSmsChannel(twilio.settings(), Fixtures.RENDERER);
        var nobody = Receiver.named("nobody", Language.EN_US, ChannelKind.SMS);
        assertThatThrownBy(() -> channel.deliver(Fixtures.notification(Fixtures.replicationLag("g8"), nobody, ChannelKind.SMS)))
                .isInstanceOf(DeliveryException.class).hasMessageContaining("no phone number")
                .matches(t -> !((DeliveryException) t).retryable());
        assertThat(twilio.requests()).isEmpty();
    }

    @Test
    void recoveryFindsAMessageTwilioAlreadyHas() throws Exception {
        var channel = new TwilioSmsChannel(twilio.settings(), Fixtures.RENDERER);
        var n = Fixtures.notification(Fixtures.replicationLag("g9"), alice, ChannelKind.SMS);
        var since = java.time.Instant.now().minusSeconds(5);

        assertThat(channel.recover(n, since).outcome()).isEqualTo(Recovery.Outcome.NOT_DELIVERED);
        String sid = twilio.preload(alice.phone(), channel.body(n));
        assertThat(channel.recover(n, since)).isEqualTo(Recovery.delivered(sid));
        var list = twilio.requests().getLast();
        assertThat(list.method()).isEqualTo("GET");
        assertThat(list.query()).containsEntry("To", alice.phone()).containsEntry("From", TwilioStub.FROM);
    }

    static String stackTrace(Throwable t) {
        var sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        return sw + String.valueOf(t);
    }
}
