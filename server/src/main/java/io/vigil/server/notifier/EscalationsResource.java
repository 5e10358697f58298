package io.vigil.server.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.notifier.NotifierRole;
import io.vigil.notifier.dispatch.Escalation;
import io.vigil.notifier.dispatch.Escalations;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /api/v1/escalations}: who is being paged about what, and acknowledging through the API.
 * An acknowledgement stops the paging of that alert group and is recorded with who and how.
 */
@Path("/api/v1/escalations")
@Produces(MediaType.APPLICATION_JSON)
public class EscalationsResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_LIMIT = 1000;

    private final Escalations escalations;

    public EscalationsResource(NotifierRole notifier) {
        this.escalations = notifier.escalations();
    }

    @GET
    public Response list(@QueryParam("open") @DefaultValue("true") boolean open, @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            return SilencesResource.error(Response.Status.BAD_REQUEST, "limit: between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        return Response.ok(Map.of("escalations", escalations.list(open, limit).stream().map(EscalationsResource::view).toList())).build();
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") long id) {
        return escalations.get(id).map(e -> Response.ok(view(e)).build())
                .orElseGet(() -> SilencesResource.error(Response.Status.NOT_FOUND, "no escalation " + id));
    }

    /** Body: {@code {"by": "alice"}}. 409 when someone acknowledged first (the answer says who) or the group resolved. */
    @POST
    @Path("{id}/ack")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response acknowledge(@PathParam("id") long id, String body) {
        String by;
        try {
            JsonNode root = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
            by = root.path("by").asText("").trim();
        } catch (IOException e) {
            return SilencesResource.error(Response.Status.BAD_REQUEST, "body: not JSON");
        }
        if (by.isEmpty()) {
            return SilencesResource.error(Response.Status.BAD_REQUEST, "by: required: who acknowledges");
        }
        if (by.length() > SilencesResource.MAX_NAME) {
            return SilencesResource.error(Response.Status.BAD_REQUEST, "by: at most " + SilencesResource.MAX_NAME + " characters");
        }
        Escalations.Ack ack = escalations.acknowledge(id, by, "api");
        Response.Status status = switch (ack.result()) {
            case ACKNOWLEDGED -> Response.Status.OK;
            case NOT_FOUND -> Response.Status.NOT_FOUND;
            case ALREADY_ACKNOWLEDGED, ENDED -> Response.Status.CONFLICT;
        };
        var out = new LinkedHashMap<String, Object>();
        out.put("result", ack.result().name().toLowerCase(Locale.ROOT));
        ack.escalation().ifPresent(e -> out.put("escalation", view(e)));
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(out).build();
    }

    static Map<String, Object> view(Escalation e) {
        var v = new LinkedHashMap<String, Object>();
        v.put("id", e.id());
        v.put("group", e.groupKey());
        v.put("policy", e.policy());
        v.put("state", e.state().name().toLowerCase(Locale.ROOT));
        v.put("startedAt", text(e.startedAt()));
        v.put("cycle", e.cycle());
        v.put("nextLevel", e.level());
        v.put("nextAt", text(e.nextAt()));
        v.put("lastPagedAt", text(e.pagedAt()));
        v.put("acknowledgedAt", text(e.ackedAt()));
        v.put("acknowledgedBy", e.ackedBy());
        v.put("acknowledgedVia", e.ackVia());
        v.put("endedAt", text(e.endedAt()));
        v.put("endReason", e.endReason());
        return v;
    }

    private static String text(Instant i) {
        return i == null ? null : i.toString();
    }
}
