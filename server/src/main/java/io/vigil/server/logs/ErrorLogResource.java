package io.vigil.server.logs;

import static io.vigil.server.logs.LogSearchParams.*;

import io.vigil.logs.role.LogsRole;
import io.vigil.logs.search.ErrorLogSearch;
import io.vigil.logs.search.ErrorQuery;
import io.vigil.logs.search.SearchUnavailableException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Set;

/**
 * {@code /api/v1/errors}: error-log events, newest first, by window, severity, code, words of the message,
 * cluster and instance. {@code text} is matched as words (all must occur), never parsed as query syntax.
 */
@Path("/api/v1/errors")
@Produces(MediaType.APPLICATION_JSON)
public class ErrorLogResource {

    static final Set<String> SEVERITIES = Set.of("note", "warning", "error", "system");

    private final LogsRole logs;
    private final Clock clock = Clock.systemUTC();

    public ErrorLogResource(LogsRole logs) {
        this.logs = logs;
    }

    /** @param severity comma-separated: note, warning, error, system (any case) */
    @GET
    public Response search(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("since") String since,
                           @QueryParam("severity") String severity, @QueryParam("code") String code,
                           @QueryParam("text") String text, @QueryParam("cluster") String cluster,
                           @QueryParam("instance") String instance, @QueryParam("limit") String limit) {
        try {
            var window = window(from, to, since, Duration.ofHours(1), clock);
            var severities = new ArrayList<String>();
            if (present(severity)) {
                for (String s : severity.split(",")) {
                    String one = s.strip().toLowerCase(Locale.ROOT);
                    if (!SEVERITIES.contains(one)) {
                        throw new BadParameterException("severity", "note, warning, error or system (comma-separated), got \""
                                + abbreviated(s.strip()) + "\"");
                    }
                    severities.add(one);
                }
            }
            int n = number("limit", limit, 100, 1, SlowLogResource.MAX_LIMIT);
            var query = new ErrorQuery(window, severities, label("code", code), text("text", text), label("cluster", cluster),
                    label("instance", instance), n);
            var found = new ErrorLogSearch(logs.connection().client(), logs.names()).search(query);
            var body = new LinkedHashMap<String, Object>();
            body.put("window", LogViews.window(window));
            body.put("total", found.total());
            body.put("events", found.events().stream().map(LogViews::errorEvent).toList());
            return LogSearchResponses.ok(body);
        } catch (BadParameterException e) {
            return LogSearchResponses.badRequest(e);
        } catch (SearchUnavailableException e) {
            return LogSearchResponses.unavailable(e);
        }
    }
}
