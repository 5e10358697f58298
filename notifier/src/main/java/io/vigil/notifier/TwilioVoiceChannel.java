package io.vigil.notifier;

import com.twilio.http.HttpMethod;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Say;
import com.twilio.type.PhoneNumber;
import com.twilio.type.Twiml;

import java.net.URI;

/**
 * A phone call through Twilio's Calls API with inline TwiML: the alert is read in the receiver's
 * language, then one digit is gathered and posted to the acknowledgement URL (with the outbox id,
 * so the acknowledgement can be tied to this page). The message is said twice: the first words are
 * often lost while the person picks up.
 */
public final class TwilioVoiceChannel implements Channel {

    private final TwilioSettings settings;
    private final TwilioRestClient client;
    private final MessageRenderer renderer;

    public TwilioVoiceChannel(TwilioSettings settings, MessageRenderer renderer) {
        this.settings = settings;
        this.client = TwilioApi.client(settings);
        this.renderer = renderer;
    }

    @Override
    public ChannelKind kind() {
        return ChannelKind.VOICE;
    }

    String twiml(Notification n) {
        Language lang = n.receiver().language();
        Say.Language sayLanguage = lang == Language.ZH_CN ? Say.Language.ZH_CN : Say.Language.EN_US;
        String speech = renderer.render(n.group(), lang).speech();
        String action = ackUrl(n).toString();
        var gather = new Gather.Builder().numDigits(1).timeout(10).action(action).method(HttpMethod.POST)
                .say(new Say.Builder(speech + " " + renderer.pressOne(lang)).language(sayLanguage).build())
                .build();
        var response = new VoiceResponse.Builder()
                .say(new Say.Builder(speech).language(sayLanguage).build())
                .gather(gather)
                .build();
        try {
            return response.toXml();
        } catch (TwiMLException e) {
            throw new IllegalStateException("cannot render TwiML for " + n.context(), e);
        }
    }

    URI ackUrl(Notification n) {
        String base = settings.voiceAckUrl().toString();
        return URI.create(base + (base.contains("?") ? "&" : "?") + "outbox=" + n.outboxId());
    }

    @Override
    public DeliveryResult deliver(Notification n) throws DeliveryException {
        String to = TwilioSmsChannel.requirePhone(n);
        try {
            Call call = Call.creator(new PhoneNumber(to), new PhoneNumber(settings.fromNumber()), new Twiml(twiml(n))).create(client);
            return new DeliveryResult(call.getSid());
        } catch (RuntimeException e) {
            throw TwilioErrors.map(n, e, settings.authToken());
        }
    }
}
