package io.vigil.server.query;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.HashMap;
import java.util.Map;

/**
 * The Prometheus-compatible query API, for Grafana's Prometheus data source and {@code promtool}.
 * GET takes URL parameters; form-encoded POST takes body parameters first and URL ones after, as
 * Go's {@code Request.FormValue} does.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class PrometheusApiResource {

    private final PrometheusQueryApi api;
    private final String vigilVersion;

    @Inject
    public PrometheusApiResource(QueryEngine engine,
                                 @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String vigilVersion) {
        this.api = new PrometheusQueryApi(engine, System::currentTimeMillis);
        this.vigilVersion = vigilVersion;
    }

    @GET
    @Path("/query")
    public Response query(@Context UriInfo uri) {
        return respond(api.query(params(Map.of(), uri)));
    }

    @POST
    @Path("/query")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response queryForm(@Context UriInfo uri, @FormParam("query") String query, @FormParam("time") String time,
                              @FormParam("timeout") String timeout) {
        return respond(api.query(params(form("query", query, "time", time, "timeout", timeout), uri)));
    }

    @GET
    @Path("/query_range")
    public Response queryRange(@Context UriInfo uri) {
        return respond(api.queryRange(params(Map.of(), uri)));
    }

    @POST
    @Path("/query_range")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response queryRangeForm(@Context UriInfo uri, @FormParam("query") String query, @FormParam("start") String start,
                                   @FormParam("end") String end, @FormParam("step") String step,
                                   @FormParam("timeout") String timeout) {
        return respond(api.queryRange(params(form("query", query, "start", start, "end", end, "step", step, "timeout", timeout), uri)));
    }

    /** Grafana probes this to tell Prometheus from Mimir/Cortex; Vigil answers as a Prometheus. */
    @GET
    @Path("/status/buildinfo")
    public Response buildInfo() {
        return respond(ApiResult.ok(PrometheusResponses.buildInfo(vigilVersion)));
    }

    private static Map<String, String> form(String... namesAndValues) {
        var form = new HashMap<String, String>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                form.put(namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return form;
    }

    private static PrometheusQueryApi.Params params(Map<String, String> form, UriInfo uri) {
        var query = uri.getQueryParameters();
        return name -> {
            String value = form.get(name);
            if (value == null) {
                value = query.getFirst(name);
            }
            return value == null ? "" : value;
        };
    }

    private static Response respond(ApiResult result) {
        StreamingOutput body = out -> PrometheusResponses.write(result.body(), out);
        return Response.status(result.httpStatus()).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
