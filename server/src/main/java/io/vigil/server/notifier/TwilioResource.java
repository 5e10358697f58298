package io.vigil.server.notifier;

import io.vigil.notifier.NotifierRole;
import io.vigil.notifier.TwilioInbound;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Twilio's callbacks: replies to SMS pages and the digit pressed during page calls. Both are
 * refused with 403 unless the request signature is valid for the configured URL.
 */
@Path("/api/v1/notifier")
public class TwilioResource {

    static final String SIGNATURE = "X-Twilio-Signature";

    private final NotifierRole notifier;

    public TwilioResource(NotifierRole notifier) {
        this.notifier = notifier;
    }

    @POST
    @Path("twilio/sms")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces("application/xml")
    public Response sms(MultivaluedMap<String, String> form, @HeaderParam(SIGNATURE) String signature) {
        Optional<TwilioInbound> inbound = notifier.twilioInbound();
        if (inbound.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        return answer(inbound.get().sms(single(form), signature));
    }

    @POST
    @Path("voice/ack")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces("application/xml")
    public Response voice(@QueryParam("outbox") long outbox, MultivaluedMap<String, String> form,
                          @HeaderParam(SIGNATURE) String signature) {
        Optional<TwilioInbound> inbound = notifier.twilioInbound();
        if (inbound.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        return answer(inbound.get().voice(outbox, single(form), signature));
    }

    private static Response answer(TwilioInbound.Answer a) {
        return a.genuine() ? Response.ok(a.twiml(), "application/xml").build() : Response.status(Response.Status.FORBIDDEN).build();
    }

    /** Twilio posts each parameter once; the validator signs name + value pairs. */
    private static Map<String, String> single(MultivaluedMap<String, String> form) {
        var out = new HashMap<String, String>();
        form.forEach((k, v) -> out.put(k, v.isEmpty() ? "" : v.getFirst()));
        return out;
    }
}
