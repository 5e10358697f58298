package io.vigil.notifier;

import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;

import java.time.Instant;

/**
 * SMS through Twilio's Messages API, one segment per page. Twilio takes no idempotency key, and a
 * StatusCallback URL carrying the outbox id would not help either: the Message resource does not
 * return it, so it cannot be searched. After an expired lease {@link #recover} lists the newest
 * messages to the number from our number, created since the lost attempt started, and compares
 * bodies. Two identical bodies to one number within one lease are indistinguishable; that is the
 * residual risk (a repeat page then counts as delivered), accepted over sending every uncertain page twice.
 */
public final class TwilioSmsChannel implements Channel {

    private final TwilioSettings settings;
    private final TwilioRestClient client;
    private final MessageRenderer renderer;

    public TwilioSmsChannel(TwilioSettings settings, MessageRenderer renderer) {
        this.settings = settings;
        this.client = TwilioApi.client(settings);
        this.renderer = renderer;
    }

    @Override
    public ChannelKind kind() {
        return ChannelKind.SMS;
    }

    /** The body a notification is sent with; also what {@link #recover} looks for. */
    String body(Notification n) {
        return SmsText.fit(renderer.render(n.group(), n.receiver().language()).shortText());
    }

    @Override
    public DeliveryResult deliver(Notification n) throws DeliveryException {
        String to = requirePhone(n);
        try {
            Message m = Message.creator(new PhoneNumber(to), new PhoneNumber(settings.fromNumber()), body(n)).create(client);
            return new DeliveryResult(m.getSid());
        } catch (RuntimeException e) {
            throw TwilioErrors.map(n, e, settings.authToken());
        }
    }

    @Override
    public Recovery recover(Notification n, Instant since) {
        if (n.receiver().phone() == null) {
            return Recovery.NOT_DELIVERED;
        }
        String body = body(n);
        try {
            // No DateSent filter: a message still queued at Twilio has no date_sent and would be missed.
            // The newest page (Twilio lists newest first) filtered by date_created and body is enough.
            var messages = Message.reader().setTo(new PhoneNumber(n.receiver().phone()))
                    .setFrom(new PhoneNumber(settings.fromNumber()))
                    .setPageSize(50L).firstPage(client);
            for (Message m : messages.getRecords()) {
                if (body.equals(m.getBody()) && (m.getDateCreated() == null || !m.getDateCreated().toInstant().isBefore(since.minusSeconds(1)))) {
                    return Recovery.delivered(m.getSid());
                }
            }
            return Recovery.NOT_DELIVERED;
        } catch (RuntimeException e) {
            return Recovery.UNKNOWN;
        }
    }

    static String requirePhone(Notification n) throws DeliveryException {
        if (n.receiver().phone() == null || n.receiver().phone().isBlank()) {
            throw DeliveryException.permanent(n, "receiver has no phone number", null);
        }
        return n.receiver().phone();
    }
}
