package io.vigil.notifier;

import com.twilio.security.RequestValidator;
import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.messaging.Body;
import com.twilio.twiml.messaging.Message;
import com.twilio.twiml.voice.Say;
import io.vigil.model.Secret;
import io.vigil.notifier.dispatch.Escalations;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Twilio posts back: a reply to a page (inbound SMS webhook) and the digit pressed during a
 * page call ({@code <Gather>}). Each request must carry a valid {@code X-Twilio-Signature} for the
 * URL Twilio was told to call, checked with the SDK's validator; anything else is refused before it
 * is read. The answer is TwiML.
 */
public final class TwilioInbound {

    private static final Logger LOG = Logger.getLogger(TwilioInbound.class);
    /** "1", "ack", "ok", "确认" or "收到", optionally followed by the escalation number: "ACK 17", "1 #17". */
    private static final Pattern ACK = Pattern.compile("^\\s*(?:1|ack|ok|确认|收到)(?:\\s*#?\\s*(\\d{1,18}))?\\s*$",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    /** A TwiML answer and whether the request was genuine (a forged one gets 403 and no TwiML). */
    public record Answer(boolean genuine, String twiml) {
    }

    private final RequestValidator validator;
    private final String smsUrl;
    private final String voiceAckUrl;
    private final Escalations escalations;
    private final Function<String, List<String>> receiversWithPhone;
    private final Function<String, Language> languageOf;

    /**
     * @param smsUrl      the inbound-message URL configured for the Twilio number, exactly as Twilio calls it
     * @param voiceAckUrl the {@code <Gather>} action base (the outbox id is appended, as the voice channel does)
     */
    public TwilioInbound(Secret authToken, String smsUrl, String voiceAckUrl, Escalations escalations,
                         Function<String, List<String>> receiversWithPhone, Function<String, Language> languageOf) {
        this.validator = new RequestValidator(authToken.reveal());
        this.smsUrl = smsUrl;
        this.voiceAckUrl = voiceAckUrl;
        this.escalations = escalations;
        this.receiversWithPhone = receiversWithPhone;
        this.languageOf = languageOf;
    }

    /** An SMS reply: {@code From} and {@code Body} of Twilio's form post. */
    public Answer sms(Map<String, String> params, String signature) {
        if (signature == null || !validator.validate(smsUrl, params, signature)) {
            LOG.warnf("notifier: refused an SMS webhook call without a valid Twilio signature");
            return new Answer(false, null);
        }
        String from = params.getOrDefault("From", "");
        List<String> receivers = receiversWithPhone.apply(from);
        Language lang = receivers.isEmpty() ? Language.EN_US : languageOf.apply(receivers.getFirst());
        boolean zh = lang == Language.ZH_CN;
        Matcher m = ACK.matcher(params.getOrDefault("Body", ""));
        if (!m.matches()) {
            return reply(zh ? "回复 1 确认最近一次告警，或回复 ACK <编号>。" : "Reply 1 to acknowledge the latest page, or ACK <number>.");
        }
        Long named = m.group(1) == null ? null : Long.parseLong(m.group(1));
        OptionalLong id = escalations.forReceivers(receivers, named);
        if (id.isEmpty()) {
            return reply(zh ? "没有需要确认的告警。" : "Nothing to acknowledge for this number.");
        }
        return reply(describe(escalations.acknowledge(id.getAsLong(), receivers.getFirst(), "sms"), id.getAsLong(), zh));
    }

    /** The digit pressed during a page call; the outbox id is in the action URL. */
    public Answer voice(long outboxId, Map<String, String> params, String signature) {
        String url = voiceAckUrl + (voiceAckUrl.contains("?") ? "&" : "?") + "outbox=" + outboxId;
        if (signature == null || !validator.validate(url, params, signature)) {
            LOG.warnf("notifier: refused a voice acknowledgement call without a valid Twilio signature (outbox %d)", outboxId);
            return new Answer(false, null);
        }
        OptionalLong id = escalations.forOutboxRow(outboxId);
        String receiver = escalations.receiverOfOutboxRow(outboxId).orElse("phone");
        boolean zh = languageOf.apply(receiver) == Language.ZH_CN;
        String text;
        if (!"1".equals(params.get("Digits")) || id.isEmpty()) {
            text = zh ? "未确认。" : "Not acknowledged.";
        } else {
            text = describe(escalations.acknowledge(id.getAsLong(), receiver, "voice"), id.getAsLong(), zh);
        }
        var say = new Say.Builder(text).language(zh ? Say.Language.ZH_CN : Say.Language.EN_US).build();
        return new Answer(true, xml(() -> new VoiceResponse.Builder().say(say).build().toXml()));
    }

    private static String describe(Escalations.Ack ack, long id, boolean zh) {
        return switch (ack.result()) {
            case ACKNOWLEDGED -> zh ? "已确认 #" + id + "。" : "Acknowledged #" + id + ".";
            case ALREADY_ACKNOWLEDGED -> {
                String by = ack.escalation().map(e -> e.ackedBy() + " (" + e.ackVia() + ")").orElse("?");
                yield zh ? "#" + id + " 已由 " + by + " 确认。" : "#" + id + " was already acknowledged by " + by + ".";
            }
            case ENDED -> zh ? "#" + id + " 已恢复。" : "#" + id + " has already resolved.";
            case NOT_FOUND -> zh ? "没有 #" + id + "。" : "No #" + id + ".";
        };
    }

    private static Answer reply(String text) {
        var message = new Message.Builder().body(new Body.Builder(text).build()).build();
        return new Answer(true, xml(() -> new MessagingResponse.Builder().message(message).build().toXml()));
    }

    @FunctionalInterface
    private interface Xml {
        String render() throws TwiMLException;
    }

    private static String xml(Xml x) {
        try {
            return x.render();
        } catch (TwiMLException e) {
            throw new IllegalStateException("cannot render TwiML", e);
        }
    }
}
