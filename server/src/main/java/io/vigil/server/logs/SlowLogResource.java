package io.vigil.server.logs;

import static io.vigil.server.logs.LogSearchParams.*;

import io.vigil.logs.role.LogsRole;
import io.vigil.logs.search.ErrorLogSearch;
import io.vigil.logs.search.ErrorQuery;
import io.vigil.logs.search.Ranking;
import io.vigil.logs.search.SearchUnavailableException;
import io.vigil.logs.search.SearchWindow;
import io.vigil.logs.search.SlowLogFilter;
import io.vigil.logs.search.SlowLogSearch;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/slowlog}: which query classes cost the most over a window ({@code top}), one class in
 * detail ({@code fingerprints/{id}}), and what happened on an instance around a moment ({@code around}).
 */
@Path("/api/v1/slowlog")
@Produces(MediaType.APPLICATION_JSON)
public class SlowLogResource {

    /** pt-query-digest 3.x's query id, as indexed: 32 hex digits. */
    private static final Pattern QUERY_ID = Pattern.compile("[0-9A-Fa-f]{32}");
    static final int MAX_LIMIT = 1000;

    private final LogsRole logs;
    private final Clock clock = Clock.systemUTC();

    public SlowLogResource(LogsRole logs) {
        this.logs = logs;
    }

    private SlowLogSearch search() {
        return new SlowLogSearch(logs.connection().client(), logs.names());
    }

    /**
     * Query classes ranked by {@code order}: {@code sum} (total time, default), {@code count}, {@code avg}
     * or {@code p95}, over {@code from}/{@code to} or {@code since} (default the last hour).
     */
    @GET
    @Path("top")
    public Response top(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("since") String since,
                        @QueryParam("order") String order, @QueryParam("cluster") String cluster,
                        @QueryParam("instance") String instance, @QueryParam("schema") String schema,
                        @QueryParam("user") String user, @QueryParam("limit") String limit) {
        try {
            SearchWindow window = window(from, to, since, Duration.ofHours(1), clock);
            Ranking ranking;
            try {
                ranking = present(order) ? Ranking.parse(order) : Ranking.SUM;
            } catch (IllegalArgumentException e) {
                throw new BadParameterException("order", e.getMessage());
            }
            var filter = filter(cluster, instance, schema, user);
            int n = number("limit", limit, 20, 1, MAX_LIMIT);
            var top = search().top(window, filter, ranking, n);
            var body = new LinkedHashMap<String, Object>();
            body.put("window", LogViews.window(top.window()));
            body.put("order", top.rankedBy().id());
            body.put("totalCount", top.totalCount());
            body.put("totalSeconds", top.totalSeconds());
            body.put("classes", top.classes().stream().map(LogViews::queryClass).toList());
            return LogSearchResponses.ok(body);
        } catch (BadParameterException e) {
            return LogSearchResponses.badRequest(e);
        } catch (SearchUnavailableException e) {
            return LogSearchResponses.unavailable(e);
        }
    }

    /** One class: statistics, a date histogram of count and time, and its slowest {@code samples} queries. */
    @GET
    @Path("fingerprints/{id}")
    public Response fingerprint(@PathParam("id") String id, @QueryParam("from") String from, @QueryParam("to") String to,
                                @QueryParam("since") String since, @QueryParam("interval") String interval,
                                @QueryParam("samples") String samples, @QueryParam("cluster") String cluster,
                                @QueryParam("instance") String instance, @QueryParam("schema") String schema,
                                @QueryParam("user") String user) {
        try {
            if (id == null || !QUERY_ID.matcher(id).matches()) {
                throw new BadParameterException("id", "a query id of 32 hex digits (as in top's queryId), got \""
                        + abbreviated(String.valueOf(id)) + "\"");
            }
            SearchWindow window = window(from, to, since, Duration.ofDays(1), clock);
            Optional<Duration> step = optionalDuration("interval", interval);
            int n = number("samples", samples, 5, 0, 100);
            String queryId = id.toUpperCase(Locale.ROOT);
            var report = search().queryClass(queryId, window, filter(cluster, instance, schema, user), step, n);
            if (report.isEmpty()) {
                return LogSearchResponses.error(Response.Status.NOT_FOUND, "no slow query of class " + queryId
                        + " from " + window.from() + " to " + window.to());
            }
            return LogSearchResponses.ok(LogViews.classReport(report.get()));
        } catch (IllegalArgumentException e) {
            return LogSearchResponses.badRequest(new BadParameterException("interval", e.getMessage()));
        } catch (BadParameterException e) {
            return LogSearchResponses.badRequest(e);
        } catch (SearchUnavailableException e) {
            return LogSearchResponses.unavailable(e);
        }
    }

    /**
     * What the on-call DBA asks first: on {@code instance}, the slowest queries, the costliest classes and
     * the error-log events within {@code window} (default 5m) either side of {@code time}.
     */
    @GET
    @Path("around")
    public Response around(@QueryParam("instance") String instance, @QueryParam("time") String time,
                           @QueryParam("window") String window, @QueryParam("limit") String limit) {
        try {
            if (!present(instance)) {
                throw new BadParameterException("instance", "required: the instance label, e.g. db-7:3306");
            }
            if (!present(time)) {
                throw new BadParameterException("time", "required: an ISO-8601 time such as 2026-12-04T22:00:00Z");
            }
            var at = instant("time", time);
            Duration half = present(window) ? duration("window", window) : Duration.ofMinutes(5);
            if (half.compareTo(Duration.ofDays(1)) > 0) {
                throw new BadParameterException("window", "at most 1d either side");
            }
            int n = number("limit", limit, 20, 1, MAX_LIMIT);
            var span = SearchWindow.around(at, half);
            var filter = SlowLogFilter.ALL.withInstance(label("instance", instance).orElseThrow());
            var slow = search().slowest(span, filter, n);
            var classes = search().top(span, filter, Ranking.SUM, Math.min(n, 10));
            var errors = new ErrorLogSearch(logs.connection().client(), logs.names())
                    .search(new ErrorQuery(span, List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                            Optional.of(instance), n));
            var body = new LinkedHashMap<String, Object>();
            body.put("instance", instance);
            body.put("time", at.toString());
            body.put("window", LogViews.window(span));
            var slowBody = new LinkedHashMap<String, Object>();
            slowBody.put("total", slow.total());
            slowBody.put("slowest", slow.queries().stream().map(LogViews::slowQuery).toList());
            slowBody.put("topClasses", classes.classes().stream().map(LogViews::queryClass).toList());
            body.put("slowQueries", slowBody);
            var errorBody = new LinkedHashMap<String, Object>();
            errorBody.put("total", errors.total());
            errorBody.put("events", errors.events().stream().map(LogViews::errorEvent).toList());
            body.put("errors", errorBody);
            return LogSearchResponses.ok(body);
        } catch (BadParameterException e) {
            return LogSearchResponses.badRequest(e);
        } catch (SearchUnavailableException e) {
            return LogSearchResponses.unavailable(e);
        }
    }

    private static SlowLogFilter filter(String cluster, String instance, String schema, String user) throws BadParameterException {
        return new SlowLogFilter(label("cluster", cluster), label("instance", instance), label("schema", schema), label("user", user));
    }
}
