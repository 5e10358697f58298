package io.vigil.server.targets;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The targets API's errors as JSON bodies; none of them can carry a password (see the exceptions). */
public class TargetErrors {

    private static final Logger LOG = Logger.getLogger(TargetErrors.class);

    @ServerExceptionMapper
    public Response invalid(TargetProblemsException e) {
        List<Map<String, String>> problems = e.problems().stream()
                .map(p -> Map.of("field", p.field(), "message", p.message())).toList();
        var body = new LinkedHashMap<String, Object>();
        body.put("error", "invalid target " + e.targetId());
        body.put("problems", problems);
        return json(Response.Status.BAD_REQUEST, body);
    }

    @ServerExceptionMapper
    public Response notFound(TargetNotFoundException e) {
        return json(Response.Status.NOT_FOUND, Map.of("error", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response exists(TargetExistsException e) {
        return json(Response.Status.CONFLICT, Map.of("error", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unavailable(TargetsUnavailableException e) {
        LOG.error(e.getMessage());
        return json(Response.Status.SERVICE_UNAVAILABLE, Map.of("error", e.getMessage()));
    }

    private static Response json(Response.Status status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
