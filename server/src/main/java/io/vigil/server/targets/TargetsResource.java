package io.vigil.server.targets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/**
 * Targets over REST, with the YAML file's fields. The password is write-only: responses show
 * {@code password_set} instead. Runs on a worker thread (blocking JDBC and Kafka acks).
 */
@Path("/api/v1/targets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TargetsResource {

    private final TargetsService service;

    public TargetsResource(TargetsService service) {
        this.service = service;
    }

    // Bodies are written as JSON text here: the JSON provider would serialize a tree node as a bean.
    @GET
    public String list() {
        var array = JsonNodeFactory.instance.arrayNode();
        service.list().forEach(array::add);
        return array.toString();
    }

    @GET
    @Path("{id}")
    public String get(@PathParam("id") String id) {
        return service.get(id).toString();
    }

    @POST
    public Response create(JsonNode body) {
        ObjectNode created = service.create(TargetRequest.parse(body, null));
        return Response.created(URI.create("/api/v1/targets/" + created.path("id").asText())).entity(created.toString()).build();
    }

    @PUT
    @Path("{id}")
    public String update(@PathParam("id") String id, JsonNode body) {
        return service.update(TargetRequest.parse(body, id)).toString();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        service.delete(id);
        return Response.noContent().build();
    }
}
