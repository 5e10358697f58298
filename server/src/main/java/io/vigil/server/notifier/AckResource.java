package io.vigil.server.notifier;

import io.vigil.notifier.Html;
import io.vigil.notifier.NotifierRole;
import io.vigil.notifier.dispatch.AckLinks;
import io.vigil.notifier.dispatch.Escalations;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.OptionalLong;

/**
 * The signed link in a page: {@code GET} shows what it acknowledges and a button, {@code POST}
 * acknowledges. A GET never acknowledges: mail scanners and chat link previews open every link, and
 * must not silence a page nobody read.
 */
@Path("/api/v1/ack/{token}")
public class AckResource {

    private final NotifierRole notifier;

    public AckResource(NotifierRole notifier) {
        this.notifier = notifier;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@PathParam("token") String token) {
        OptionalLong id = notifier.ackLinks().verify(token, Instant.now());
        if (id.isEmpty()) {
            return invalid();
        }
        var e = notifier.escalations().get(id.getAsLong());
        if (e.isEmpty()) {
            return invalid();
        }
        String state = switch (e.get().state()) {
            case ACKNOWLEDGED -> "already acknowledged by " + e.get().ackedBy() + " (" + e.get().ackVia() + ")";
            case ENDED -> "over: " + e.get().endReason();
            default -> "paging";
        };
        String body = "<h1>Acknowledge page #" + id.getAsLong() + "</h1><p>Alert group: <code>" + Html.escape(e.get().groupKey())
                + "</code></p><p>State: " + Html.escape(state) + "</p>"
                + "<form method=\"post\"><label>Your name <input name=\"by\" autocomplete=\"name\"></label> "
                + "<button type=\"submit\">Acknowledge</button></form>";
        return html(200, body);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response acknowledge(@PathParam("token") String token, @FormParam("by") String by) {
        OptionalLong id = notifier.ackLinks().verify(token, Instant.now());
        if (id.isEmpty()) {
            return invalid();
        }
        String who = by == null || by.isBlank() ? "link" : by.trim();
        Escalations.Ack ack = notifier.escalations().acknowledge(id.getAsLong(),
                who.length() > SilencesResource.MAX_NAME ? who.substring(0, SilencesResource.MAX_NAME) : who, "link");
        return switch (ack.result()) {
            case ACKNOWLEDGED -> html(200, "<h1>Acknowledged #" + id.getAsLong() + "</h1><p>Paging stopped.</p>");
            case ALREADY_ACKNOWLEDGED -> html(409, "<h1>#" + id.getAsLong() + " was already acknowledged</h1><p>by "
                    + Html.escape(ack.escalation().map(e -> e.ackedBy() + " (" + e.ackVia() + ")").orElse("?")) + "</p>");
            case ENDED -> html(409, "<h1>#" + id.getAsLong() + " is over</h1><p>The alerts resolved.</p>");
            case NOT_FOUND -> invalid();
        };
    }

    private static Response invalid() {
        return html(404, "<h1>This link is invalid or has expired</h1>");
    }

    private static Response html(int status, String body) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Vigil</title></head><body>" + body + "</body></html>")
                .build();
    }
}
