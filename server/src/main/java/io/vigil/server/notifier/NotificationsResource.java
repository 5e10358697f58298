package io.vigil.server.notifier;

import io.vigil.notifier.DeliveryRecord;
import io.vigil.notifier.NotifierRole;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The delivery log ({@code /api/v1/notifications}): every notification with its channel, status,
 * attempts and the provider's id. Receiver addresses, numbers and keys are never shown: the log
 * names receivers only.
 */
@Path("/api/v1/notifications")
@Produces(MediaType.APPLICATION_JSON)
public class NotificationsResource {

    static final int MAX_LIMIT = 1000;

    private final NotifierRole notifier;

    public NotificationsResource(NotifierRole notifier) {
        this.notifier = notifier;
    }

    @GET
    public Response notifications(@QueryParam("receiver") String receiver, @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            return SilencesResource.error(Response.Status.BAD_REQUEST, "limit: between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        var rows = notifier.outbox().recent(Optional.ofNullable(receiver).filter(s -> !s.isBlank()), limit);
        return Response.ok(Map.of("notifications", rows.stream().map(NotificationsResource::view).toList())).build();
    }

    private static Map<String, Object> view(DeliveryRecord r) {
        var v = new LinkedHashMap<String, Object>();
        v.put("id", r.id());
        v.put("key", r.idempotencyKey());
        v.put("receiver", r.receiver());
        v.put("channel", r.channel().id());
        v.put("status", r.status().name().toLowerCase(Locale.ROOT));
        v.put("attempts", r.attempts());
        v.put("providerId", r.providerId());
        v.put("lastError", r.lastError());
        v.put("note", r.note());
        v.put("createdAt", r.createdAt().toString());
        v.put("updatedAt", r.updatedAt().toString());
        return v;
    }
}
