package io.vigil.server.alerts;

import io.vigil.rules.CompiledRule;
import io.vigil.rules.RuleException;
import io.vigil.rules.RuleRegistry;
import io.vigil.rules.RuleRepository;
import io.vigil.rules.RuleSetParser;
import io.vigil.rules.RuleSpec;
import io.vigil.rules.RulesRole;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/rules}: every rule in force, whatever its source; rules created here are stored
 * in PostgreSQL and picked up by every rules instance within {@code vigil.rules.reload-interval}.
 * Rules of the default pack and of files are read-only here: they are edited where they are reviewed.
 * A body is one rule, in YAML or JSON, with the fields of a rule file entry.
 */
@Path("/api/v1/rules")
@Produces(MediaType.APPLICATION_JSON)
public class RulesResource {

    private final RuleRegistry registry;
    private final RuleRepository repository;

    public RulesResource(RulesRole role) {
        this.registry = role.registry();
        this.repository = role.repository();
    }

    @GET
    public Map<String, Object> list() {
        registry.refresh();
        var body = new LinkedHashMap<String, Object>();
        body.put("rules", registry.snapshot().rules().stream().map(RulesResource::view).toList());
        body.put("load_problems", registry.problems());
        return body;
    }

    @GET
    @Path("{name}")
    public Response get(@PathParam("name") String name) {
        registry.refresh();
        return registry.snapshot().rules().stream().filter(r -> r.name().equals(name)).findFirst()
                .map(r -> Response.ok(view(r)).build())
                .orElseGet(() -> error(Response.Status.NOT_FOUND, "no rule named " + name));
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, "application/yaml", MediaType.TEXT_PLAIN})
    public Response create(String body) throws SQLException {
        CompiledRule rule;
        try {
            rule = RuleSetParser.parseRule(body == null ? "" : body, "body");
        } catch (RuleException e) {
            return invalid(e.problems());
        }
        Response conflict = readOnly(rule.name());
        if (conflict != null) {
            return conflict;
        }
        if (repository.get(rule.name()).isPresent()) {
            return error(Response.Status.CONFLICT, "rule " + rule.name() + " exists; PUT /api/v1/rules/" + rule.name() + " replaces it");
        }
        repository.put(rule.name(), body);
        registry.refresh();
        return Response.created(URI.create("/api/v1/rules/" + rule.name())).entity(view(stored(rule, body))).build();
    }

    @PUT
    @Path("{name}")
    @Consumes({MediaType.APPLICATION_JSON, "application/yaml", MediaType.TEXT_PLAIN})
    public Response replace(@PathParam("name") String name, String body) throws SQLException {
        CompiledRule rule;
        try {
            rule = RuleSetParser.parseRule(body == null ? "" : body, "body");
        } catch (RuleException e) {
            return invalid(e.problems());
        }
        if (!rule.name().equals(name)) {
            return invalid(List.of("body: name: \"" + rule.name() + "\" differs from the path's \"" + name + "\"; renaming is delete and create"));
        }
        Response conflict = readOnly(name);
        if (conflict != null) {
            return conflict;
        }
        boolean created = repository.put(name, body);
        registry.refresh();
        var stored = stored(rule, body);
        return created ? Response.created(URI.create("/api/v1/rules/" + name)).entity(view(stored)).build() : Response.ok(view(stored)).build();
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name) throws SQLException {
        Response conflict = readOnly(name);
        if (conflict != null) {
            return conflict;
        }
        if (!repository.delete(name)) {
            return error(Response.Status.NOT_FOUND, "no API rule named " + name);
        }
        registry.refresh();
        return Response.noContent().build();
    }

    /** The rule as the registry compiles what was stored (its source is {@code api:NAME}). */
    private static CompiledRule stored(CompiledRule parsed, String body) {
        return RuleSetParser.parseRule(body, "api:" + parsed.name());
    }

    private Response readOnly(String name) {
        registry.refresh();
        CompiledRule owner = registry.fromFiles(name);
        return owner == null ? null : error(Response.Status.CONFLICT, "rule " + name + " is defined in "
                + owner.spec().source() + "; change it there (a file rule of the same name overrides a default one)");
    }

    static Map<String, Object> view(CompiledRule r) {
        RuleSpec s = r.spec();
        var m = new LinkedHashMap<String, Object>();
        m.put("name", s.name());
        m.put("source", s.source());
        m.put("editable", s.source().startsWith("api:"));
        m.put("expr", s.expr());
        m.put("for", millis(s.forMillis()));
        m.put("recover", s.recover() == null ? null : s.recover().toString());
        m.put("recover_for", millis(s.recoverForMillis()));
        m.put("severity", s.severity().wireName());
        m.put("labels", s.labels());
        m.put("annotations", s.annotations());
        m.put("escalate", s.escalation() == null ? null
                : Map.of("after", millis(s.escalation().afterMillis()), "to", s.escalation().to().wireName()));
        m.put("no_data", Map.of("for", millis(s.noData().forMillis()), "alert", s.noData().alert(),
                "severity", s.noData().severity().wireName()));
        m.put("metrics", r.metrics().stream().sorted().toList());
        return m;
    }

    private static String millis(long ms) {
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static Response invalid(List<String> problems) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", "invalid rule", "problems", problems)).build();
    }

    static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
