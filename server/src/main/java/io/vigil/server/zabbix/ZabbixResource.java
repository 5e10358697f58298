package io.vigil.server.zabbix;

import io.vigil.model.LabelMatcher;
import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import io.vigil.model.SeriesReader;
import io.vigil.promql.BadQueryException;
import io.vigil.promql.InstantSample;
import io.vigil.promql.PromQlParseException;
import io.vigil.promql.PromQlParser;
import io.vigil.promql.QueryEngine;
import io.vigil.promql.QueryExecutionException;
import io.vigil.promql.QueryResult;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a Zabbix HTTP-agent item polls: low-level discovery of clusters, instances and their
 * metrics (JSON arrays of {@code {#MACRO}} objects, as Zabbix 4.2 and later read them), and the
 * value of one series, as plain text. Discovery looks at the last hour: a target that stopped
 * reporting an hour ago is no longer discovered.
 */
@Path("/api/v1/zabbix")
public class ZabbixResource {

    static final Duration LOOKBACK = Duration.ofHours(1);

    private final SeriesReader reader;
    private final QueryEngine engine;

    public ZabbixResource(SeriesReader reader, QueryEngine engine) {
        this.reader = reader;
        this.engine = engine;
    }

    /** {@code [{"{#CLUSTER}": "pay"}, …]}: every cluster with a scraped target. */
    @GET
    @Path("discovery/clusters")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, String>> clusters() {
        var out = new TreeMap<String, Map<String, String>>();
        for (Labels l : targets(null)) {
            String cluster = l.get(LabelNames.CLUSTER);
            if (cluster != null) {
                out.put(cluster, Map.of("{#CLUSTER}", cluster));
            }
        }
        return List.copyOf(out.values());
    }

    /** One entry per target: {@code {#CLUSTER}}, {@code {#TARGET}}, {@code {#INSTANCE}}, {@code {#KIND}}; {@code cluster} narrows it. */
    @GET
    @Path("discovery/instances")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, String>> instances(@QueryParam("cluster") String cluster) {
        var out = new TreeMap<String, Map<String, String>>();
        for (Labels l : targets(cluster)) {
            String target = l.get(LabelNames.TARGET);
            if (target == null) {
                continue;
            }
            var m = new LinkedHashMap<String, String>();
            m.put("{#CLUSTER}", nonNull(l.get(LabelNames.CLUSTER)));
            m.put("{#TARGET}", target);
            m.put("{#INSTANCE}", nonNull(l.get(LabelNames.INSTANCE)));
            m.put("{#KIND}", nonNull(l.get(LabelNames.KIND)));
            out.put(target, m);
        }
        return List.copyOf(out.values());
    }

    /**
     * Every series of one target: {@code {#METRIC}}, and {@code {#SELECTOR}}, the PromQL selector that
     * names exactly that series, for the item's {@code value?query=}.
     */
    @GET
    @Path("discovery/metrics")
    @Produces(MediaType.APPLICATION_JSON)
    public Response metrics(@QueryParam("target") String target) {
        if (target == null || target.isBlank()) {
            return Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_PLAIN).entity("target: required").build();
        }
        long now = System.currentTimeMillis();
        List<Labels> series = reader.series(List.of(LabelMatcher.eq(LabelNames.TARGET, target)), now - LOOKBACK.toMillis(), now);
        // The labels every series of the target carries (identity and the target's own) are those of its
        // `up`: what is left names a series within the target (a replication channel, a member, an op).
        Map<String, String> common = series.stream().filter(l -> "up".equals(l.get(LabelNames.METRIC_NAME))).findFirst()
                .<Map<String, String>>map(Labels::asMap).orElse(Map.of());
        var out = new TreeMap<String, Map<String, String>>();
        for (Labels l : series) {
            String metric = l.get(LabelNames.METRIC_NAME);
            var own = new TreeMap<String, String>();
            own.put(LabelNames.TARGET, target);
            l.asMap().forEach((k, v) -> {
                if (!k.equals(LabelNames.METRIC_NAME) && !v.equals(common.get(k))) {
                    own.put(k, v);
                }
            });
            String selector = metric + selector(own);
            out.put(selector, Map.of("{#METRIC}", metric, "{#SELECTOR}", selector));
        }
        return Response.ok(List.copyOf(out.values())).build();
    }

    /**
     * The current value of a query that yields one number (a scalar, or a vector of exactly one
     * series), as plain text. No data is a 404 and several series a 422, each with the reason,
     * which Zabbix shows on the item.
     */
    @GET
    @Path("value")
    @Produces(MediaType.TEXT_PLAIN)
    public Response value(@QueryParam("query") String query) {
        if (query == null || query.isBlank()) {
            return text(400, "query: required (a PromQL expression that yields one series)");
        }
        QueryResult result;
        try {
            result = engine.instant(PromQlParser.parse(query), System.currentTimeMillis());
        } catch (PromQlParseException | BadQueryException e) {
            return text(400, "bad query: " + e.getMessage());
        } catch (QueryExecutionException e) {
            return text(503, "query failed: " + e.getMessage());
        }
        return switch (result) {
            case QueryResult.ScalarResult s -> text(200, number(s.value()));
            case QueryResult.VectorResult v when v.samples().size() == 1 -> text(200, number(v.samples().getFirst().value()));
            case QueryResult.VectorResult v when v.samples().isEmpty() -> text(404, "no data for " + query);
            case QueryResult.VectorResult v -> text(422, v.samples().size() + " series match " + query + "; narrow it to one, e.g. "
                    + first(v.samples()));
            case QueryResult.MatrixResult m -> text(400, "a range vector is not a value; use an instant query");
        };
    }

    private List<Labels> targets(String cluster) {
        long now = System.currentTimeMillis();
        var matchers = new ArrayList<LabelMatcher>();
        matchers.add(LabelMatcher.eq(LabelNames.METRIC_NAME, "up"));
        if (cluster != null && !cluster.isBlank()) {
            matchers.add(LabelMatcher.eq(LabelNames.CLUSTER, cluster));
        }
        return reader.series(matchers, now - LOOKBACK.toMillis(), now);
    }

    private static String selector(Map<String, String> labels) {
        var sb = new StringBuilder("{");
        labels.forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(LabelMatcher.eq(k, v));
        });
        return sb.append('}').toString();
    }

    private static String first(List<InstantSample> samples) {
        return samples.getFirst().labels().toString();
    }

    private static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.valueOf(v);
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static Response text(int status, String body) {
        return Response.status(status).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).entity(body).build();
    }
}
