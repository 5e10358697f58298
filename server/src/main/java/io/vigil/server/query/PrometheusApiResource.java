package io.vigil.server.query;

import io.vigil.promql.QueryEngine;
import io.vigil.model.SeriesReader;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
    private final PrometheusSeriesApi seriesApi;
    private final String vigilVersion;

    @Inject
    public PrometheusApiResource(QueryEngine engine, SeriesReader reader,
                                 @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String vigilVersion) {
        this.api = new PrometheusQueryApi(engine, System::currentTimeMillis);
        this.seriesApi = new PrometheusSeriesApi(reader);
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

    @GET
    @Path("/series")
    public Response series(@Context UriInfo uri) {
        return respond(seriesApi.series(listing(new MultivaluedHashMap<>(), uri)));
    }

    @POST
    @Path("/series")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response seriesForm(@Context UriInfo uri, MultivaluedMap<String, String> form) {
        return respond(seriesApi.series(listing(form, uri)));
    }

    @GET
    @Path("/labels")
    public Response labels(@Context UriInfo uri) {
        return respond(seriesApi.labelNames(listing(new MultivaluedHashMap<>(), uri)));
    }

    @POST
    @Path("/labels")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response labelsForm(@Context UriInfo uri, MultivaluedMap<String, String> form) {
        return respond(seriesApi.labelNames(listing(form, uri)));
    }

    @GET
    @Path("/label/{name}/values")
    public Response labelValues(@PathParam("name") String name, @Context UriInfo uri) {
        return respond(seriesApi.labelValues(name, listing(new MultivaluedHashMap<>(), uri)));
    }

    /** Prometheus serves this one with GET only; a form POST is accepted too, as for the other listings. */
    @POST
    @Path("/label/{name}/values")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response labelValuesForm(@PathParam("name") String name, @Context UriInfo uri, MultivaluedMap<String, String> form) {
        return respond(seriesApi.labelValues(name, listing(form, uri)));
    }

    @GET
    @Path("/metadata")
    public Response metadata() {
        return respond(seriesApi.metadata());
    }

    @POST
    @Path("/metadata")
    public Response metadataForm() {
        return respond(seriesApi.metadata());
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

    /** Body values first, then URL ones, for single parameters and for the repeated {@code match[]} alike (Go's {@code r.Form}). */
    private static PrometheusSeriesApi.Params listing(MultivaluedMap<String, String> form, UriInfo uri) {
        var query = uri.getQueryParameters();
        var matchers = new ArrayList<String>();
        for (var source : List.of(form, query)) {
            List<String> values = source.get("match[]");
            if (values != null) {
                matchers.addAll(values);
            }
        }
        return new PrometheusSeriesApi.Params() {
            @Override
            public String get(String name) {
                String value = form.getFirst(name);
                if (value == null) {
                    value = query.getFirst(name);
                }
                return value == null ? "" : value;
            }

            @Override
            public List<String> matchers() {
                return matchers;
            }
        };
    }

    private static Response respond(ApiResult result) {
        StreamingOutput body = out -> PrometheusResponses.write(result.body(), out);
        return Response.status(result.httpStatus()).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
