package io.vigil.notifier;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.eclipse.angus.mail.util.MailConnectException;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;

/**
 * Mail through an SMTP relay with plain Jakarta Mail (Angus). A multipart/alternative of text and
 * HTML; the subject is RFC 2047 encoded in UTF-8 so Chinese survives every client.
 */
public final class MailChannel implements Channel {

    private final SmtpSettings settings;
    private final MessageRenderer renderer;
    private final Session session;

    public MailChannel(SmtpSettings settings, MessageRenderer renderer) {
        this.settings = settings;
        this.renderer = renderer;
        this.session = Session.getInstance(properties(settings));
    }

    private static Properties properties(SmtpSettings s) {
        var p = new Properties();
        String ms = String.valueOf(s.timeout().toMillis());
        p.put("mail.transport.protocol", "smtp");
        p.put("mail.smtp.host", s.host());
        p.put("mail.smtp.port", String.valueOf(s.port()));
        p.put("mail.smtp.connectiontimeout", ms);
        p.put("mail.smtp.timeout", ms);
        p.put("mail.smtp.writetimeout", ms);
        p.put("mail.smtp.auth", String.valueOf(s.user().isPresent()));
        p.put("mail.smtp.starttls.enable", String.valueOf(s.startTls()));
        p.put("mail.smtp.starttls.required", String.valueOf(s.startTls()));
        p.put("mail.mime.charset", "UTF-8");
        return p;
    }

    @Override
    public ChannelKind kind() {
        return ChannelKind.MAIL;
    }

    @Override
    public DeliveryResult deliver(Notification n) throws DeliveryException {
        if (n.receiver().email() == null || n.receiver().email().isBlank()) {
            throw DeliveryException.permanent(n, "receiver has no mail address", null);
        }
        Message rendered = renderer.render(n.group(), n.receiver().language());
        MimeMessage mail;
        try {
            mail = new MimeMessage(session);
            mail.setFrom(new InternetAddress(settings.from(), true));
            mail.setRecipients(jakarta.mail.Message.RecipientType.TO, InternetAddress.parse(n.receiver().email(), true));
            mail.setSubject(rendered.subject(), StandardCharsets.UTF_8.name());
            mail.setSentDate(new Date());
            // Lets a mailbox rule or a human spot a duplicate after an uncertain resend.
            mail.setHeader("X-Vigil-Idempotency-Key", n.idempotencyKey());
            var text = new MimeBodyPart();
            text.setText(rendered.text(), StandardCharsets.UTF_8.name(), "plain");
            var html = new MimeBodyPart();
            html.setText(rendered.html(), StandardCharsets.UTF_8.name(), "html");
            var alternative = new MimeMultipart("alternative", text, html);
            mail.setContent(alternative);
            mail.saveChanges();
        } catch (AddressException e) {
            throw DeliveryException.permanent(n, "invalid mail address: " + e.getMessage(), null);
        } catch (MessagingException e) {
            throw DeliveryException.permanent(n, "cannot build the mail: " + e.getMessage(), e);
        }
        try {
            if (settings.user().isPresent()) {
                Transport.send(mail, settings.user().get(), settings.password().reveal());
            } else {
                Transport.send(mail);
            }
            return new DeliveryResult(mail.getMessageID());
        } catch (MessagingException e) {
            throw classify(n, e);
        }
    }

    /** Connection trouble and 4xx replies are worth retrying; bad credentials, bad addresses and 5xx are not. */
    private DeliveryException classify(Notification n, MessagingException e) {
        String where = " (smtp " + settings.host() + ":" + settings.port() + ")";
        if (e instanceof AuthenticationFailedException) {
            return DeliveryException.permanent(n, "SMTP authentication failed for user " + settings.user().orElse("?") + where, null);
        }
        if (e instanceof MailConnectException || hasCause(e, ConnectException.class) || hasCause(e, SocketTimeoutException.class)
                || hasCause(e, java.net.SocketException.class)) {
            return DeliveryException.retryable(n, "cannot reach the SMTP server" + where + ": " + e.getMessage(), null);
        }
        if (hasCause(e, UnknownHostException.class)) {
            return DeliveryException.retryable(n, "unknown SMTP host" + where, null);
        }
        int code = replyCode(e);
        if (e instanceof SendFailedException || code > 0) {
            boolean retryable = code >= 400 && code < 500;
            return new DeliveryException(n.context() + ": SMTP refused the mail" + where + (code > 0 ? " with " + code : "")
                    + ": " + e.getMessage(), retryable, null);
        }
        // STARTTLS required but not offered, and other protocol surprises: a configuration problem.
        return DeliveryException.permanent(n, "SMTP failed" + where + ": " + e.getMessage(), null);
    }

    private static int replyCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.eclipse.angus.mail.smtp.SMTPSendFailedException s) {
                return s.getReturnCode();
            }
            if (t instanceof org.eclipse.angus.mail.smtp.SMTPAddressFailedException a) {
                return a.getReturnCode();
            }
            if (t instanceof MessagingException m && m.getNextException() != null && m.getNextException() != t.getCause()) {
                int code = replyCode(m.getNextException());
                if (code > 0) {
                    return code;
                }
            }
        }
        return -1;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
