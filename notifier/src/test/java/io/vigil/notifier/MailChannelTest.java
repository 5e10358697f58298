package io.vigil.notifier;

import io.vigil.model.Labels;
import io.vigil.model.Secret;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Jakarta Mail against a real SMTP server (GreenMail). */
class MailChannelTest {

    private Smtp smtp;
    private final Receiver li = Receiver.named("li", Language.ZH_CN, ChannelKind.MAIL).withEmail("li@example.com");

    @BeforeEach
    void start() throws Exception {
        smtp = new Smtp();
        smtp.start();
    }

    @AfterEach
    void stop() {
        smtp.close();
    }

    @Test
    void chineseMailArrivesWithEncodedSubjectAndBothParts() throws Exception {
        var channel = new MailChannel(smtp.settings(), Fixtures.RENDERER);
        var group = Fixtures.chinese("mail-1");

        DeliveryResult result = channel.deliver(Fixtures.notification(group, li, ChannelKind.MAIL));

        assertThat(smtp.mail().waitForIncomingEmail(5_000, 1)).isTrue();
        MimeMessage mail = smtp.mail().getReceivedMessages()[0];
        String expectedSubject = Fixtures.RENDERER.render(group, Language.ZH_CN).subject();
        assertThat(mail.getSubject()).isEqualTo(expectedSubject);
        assertThat(mail.getHeader("Subject")[0]).startsWith("=?UTF-8?").doesNotContain("告警");
        assertThat(mail.getMessageID()).isEqualTo(result.providerId());
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("li@example.com");
        assertThat(mail.getHeader("X-Vigil-Idempotency-Key")[0]).startsWith("li/firing/");
        var parts = (Multipart) mail.getContent();
        assertThat(mail.getContentType()).startsWith("multipart/alternative");
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat((String) parts.getBodyPart(0).getContent()).contains("支付集群从库复制延迟");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
        assertThat((String) parts.getBodyPart(1).getContent()).contains("<h2>[告警:1][严重]");
    }

    @Test
    void htmlInjectionInALabelIsEscaped() throws Exception {
        var evil = new Alert(Labels.of("alertname", "Evil", "instance", "<a href=\"https://phish.example\">click</a>"),
                AlertStatus.FIRING, Severity.NORMAL, "</td><script>steal()</script>", "", Fixtures.T0, null, null);
        var group = new AlertGroup("mail-2", Labels.EMPTY, List.of(evil));
        var alice = Receiver.named("alice", Language.EN_US, ChannelKind.MAIL).withEmail("alice@example.com");

        new MailChannel(smtp.settings(), Fixtures.RENDERER).deliver(Fixtures.notification(group, alice, ChannelKind.MAIL));

        assertThat(smtp.mail().waitForIncomingEmail(5_000, 1)).isTrue();
        var parts = (Multipart) smtp.mail().getReceivedMessages()[0].getContent();
        String html = (String) parts.getBodyPart(1).getContent();
        assertThat(html).doesNotContain("<script>", "<a href=\"https://phish.example\">")
                .contains("&lt;/td&gt;&lt;script&gt;steal()&lt;/script&gt;")
                .contains("&lt;a href=&quot;https://phish.example&quot;&gt;click&lt;/a&gt;");
    }

    @Test
    void authenticatesWhenAUserIsConfigured() throws Exception {
        smtp.mail().setUser("vigil@example.com", "vigil", "s3cret-pass");
        var settings = new SmtpSettings("127.0.0.1", smtp.port, false, Optional.of("vigil"), Secret.of("s3cret-pass"),
                "vigil@example.com", java.time.Duration.ofSeconds(5));

        new MailChannel(settings, Fixtures.RENDERER).deliver(Fixtures.notification(Fixtures.replicationLag("mail-3"), li, ChannelKind.MAIL));

        assertThat(smtp.mail().waitForIncomingEmail(5_000, 1)).isTrue();
    }

    @Test
    void wrongPasswordIsPermanentAndNotInTheError() {
        smtp.mail().setUser("vigil@example.com", "vigil", "s3cret-pass");
        var settings = new SmtpSettings("127.0.0.1", smtp.port, false, Optional.of("vigil"), Secret.of("wrong-pass-77"),
                "vigil@example.com", java.time.Duration.ofSeconds(5));

        var e = catchThrowableOfType(DeliveryException.class, () -> new MailChannel(settings, Fixtures.RENDERER)
                .deliver(Fixtures.notification(Fixtures.replicationLag("mail-4"), li, ChannelKind.MAIL)));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("channel=mail receiver=li", "authentication failed", "vigil");
        assertThat(TwilioChannelsTest.stackTrace(e)).doesNotContain("wrong-pass-77");
        assertThat(smtp.mail().getReceivedMessages()).isEmpty();
    }

    @Test
    void starttlsRequiredButNotOfferedRefusesToSendInClear() {
        var settings = new SmtpSettings("127.0.0.1", smtp.port, true, Optional.empty(), null, "vigil@example.com",
                java.time.Duration.ofSeconds(5));

        var e = catchThrowableOfType(DeliveryException.class, () -> new MailChannel(settings, Fixtures.RENDERER)
                .deliver(Fixtures.notification(Fixtures.replicationLag("mail-5"), li, ChannelKind.MAIL)));

        assertThat(e.getMessage()).containsIgnoringCase("STARTTLS");
        assertThat(smtp.mail().getReceivedMessages()).isEmpty();
    }

    @Test
    void stoppedServerIsRetryable() {
        smtp.stop();
        var e = catchThrowableOfType(DeliveryException.class, () -> new MailChannel(smtp.settings(), Fixtures.RENDERER)
                .deliver(Fixtures.notification(Fixtures.replicationLag("mail-6"), li, ChannelKind.MAIL)));
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("cannot reach the SMTP server", "127.0.0.1:" + smtp.port);
    }
}
