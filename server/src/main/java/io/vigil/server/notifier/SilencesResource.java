package io.vigil.server.notifier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.Durations;
import io.vigil.model.LabelMatcher;
import io.vigil.notifier.NotifierRole;
import io.vigil.notifier.dispatch.Silence;
import io.vigil.notifier.dispatch.SilenceStore;
import io.vigil.notifier.routing.Matchers;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /api/v1/silences}: create, list, read and expire silences. A silence mutes notifications
 * only; the alerts it matches are still received, stored and listed under {@code /api/v1/alerts}.
 * Expired silences stay listed (30 days) so that who muted what, and why, can be read afterwards.
 */
@Path("/api/v1/silences")
@Produces(MediaType.APPLICATION_JSON)
public class SilencesResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_COMMENT = 2000;
    static final int MAX_NAME = 200;

    private final SilenceStore store;

    public SilencesResource(NotifierRole notifier) {
        this.store = notifier.silences();
    }

    @GET
    public Response list(@QueryParam("state") String state) {
        Instant now = Instant.now();
        Optional<Silence.State> only;
        try {
            only = Optional.ofNullable(state).filter(s -> !s.isBlank()).map(s -> Silence.State.valueOf(s.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return error(Response.Status.BAD_REQUEST, "state: pending, active or expired, got \"" + state + "\"");
        }
        var out = new ArrayList<Map<String, Object>>();
        for (Silence s : store.list()) {
            if (only.isEmpty() || s.state(now) == only.get()) {
                out.add(view(s, now));
            }
        }
        return Response.ok(Map.of("silences", out)).build();
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        return parseId(id).flatMap(store::get).map(s -> Response.ok(view(s, Instant.now())).build())
                .orElseGet(() -> error(Response.Status.NOT_FOUND, "no silence " + id));
    }

    /**
     * Body: {@code {"matchers": ["cluster=\"pay\"", "alertname=~\"MySQL.*\""], "endsAt": "…" or
     * "duration": "2h", "startsAt": "…" (default now), "createdBy": "alice", "comment": "failover drill"}}.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            return invalid(List.of("body: not JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            return invalid(List.of("body: unreadable: " + e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            return invalid(List.of("body: expected a JSON object"));
        }
        var problems = new ArrayList<String>();
        var matchers = new ArrayList<LabelMatcher>();
        JsonNode m = root.path("matchers");
        if (!m.isArray() || m.isEmpty()) {
            problems.add("matchers: at least one matcher, e.g. [\"cluster=\\\"pay\\\"\"]");
        } else {
            for (int i = 0; i < m.size(); i++) {
                try {
                    matchers.add(Matchers.parse(m.get(i).asText()));
                } catch (IllegalArgumentException e) {
                    problems.add("matchers[" + i + "]: " + e.getMessage());
                }
            }
            if (!matchers.isEmpty() && matchers.stream().allMatch(LabelMatcher::matchesEmpty)) {
                problems.add("matchers: these match every alert; name at least one label value a silence is for");
            }
        }
        Instant now = Instant.now();
        Instant startsAt = instant(root, "startsAt", problems).orElse(now);
        Instant endsAt = instant(root, "endsAt", problems).orElse(null);
        if (root.hasNonNull("duration")) {
            if (endsAt != null) {
                problems.add("duration: give endsAt or duration, not both");
            }
            try {
                Duration d = Durations.parse(root.get("duration").asText());
                endsAt = startsAt.plus(d);
            } catch (IllegalArgumentException e) {
                problems.add("duration: " + e.getMessage());
            }
        }
        if (endsAt == null && problems.stream().noneMatch(p -> p.startsWith("endsAt") || p.startsWith("duration"))) {
            problems.add("endsAt: required (or duration, e.g. \"2h\")");
        } else if (endsAt != null && !endsAt.isAfter(startsAt)) {
            problems.add("endsAt: must be after startsAt (" + startsAt + ")");
        } else if (endsAt != null && !endsAt.isAfter(now)) {
            problems.add("endsAt: already past");
        }
        String createdBy = root.path("createdBy").asText("").trim();
        if (createdBy.isEmpty()) {
            problems.add("createdBy: required: who is silencing");
        } else if (createdBy.length() > MAX_NAME) {
            problems.add("createdBy: at most " + MAX_NAME + " characters");
        }
        String comment = root.path("comment").asText("").trim();
        if (comment.isEmpty()) {
            problems.add("comment: required: why (a ticket, a maintenance)");
        } else if (comment.length() > MAX_COMMENT) {
            problems.add("comment: at most " + MAX_COMMENT + " characters");
        }
        if (!problems.isEmpty()) {
            return invalid(problems);
        }
        Silence s = store.create(matchers, startsAt, endsAt, createdBy, comment);
        return Response.created(URI.create("/api/v1/silences/" + s.id())).entity(view(s, Instant.now())).build();
    }

    /** Expires the silence now: it stays listed, as expired. */
    @DELETE
    @Path("{id}")
    public Response expire(@PathParam("id") String id) {
        Optional<UUID> uuid = parseId(id);
        Optional<Silence> existing = uuid.flatMap(store::get);
        if (existing.isEmpty()) {
            return error(Response.Status.NOT_FOUND, "no silence " + id);
        }
        if (!store.expire(uuid.get())) {
            return error(Response.Status.CONFLICT, "silence " + id + " has already ended");
        }
        return Response.noContent().build();
    }

    static Map<String, Object> view(Silence s, Instant now) {
        var v = new LinkedHashMap<String, Object>();
        v.put("id", s.id().toString());
        v.put("matchers", s.matchers().stream().map(LabelMatcher::toString).toList());
        v.put("startsAt", s.startsAt().toString());
        v.put("endsAt", s.endsAt().toString());
        v.put("state", s.state(now).name().toLowerCase(Locale.ROOT));
        v.put("createdBy", s.createdBy());
        v.put("comment", s.comment());
        v.put("createdAt", s.createdAt().toString());
        v.put("updatedAt", s.updatedAt().toString());
        return v;
    }

    private static Optional<Instant> instant(JsonNode root, String field, List<String> problems) {
        if (!root.hasNonNull(field)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(root.get(field).asText()));
        } catch (DateTimeParseException e) {
            problems.add(field + ": an ISO-8601 time such as 2026-12-04T22:00:00Z, got \"" + root.get(field).asText() + "\"");
            return Optional.empty();
        }
    }

    private static Optional<UUID> parseId(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Response invalid(List<String> problems) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", "invalid silence", "problems", problems)).build();
    }

    static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
