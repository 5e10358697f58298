package io.vigil.server.logs;

import io.vigil.logs.search.SearchUnavailableException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.logging.Logger;

/** The error answers of the log searches: 400 for a bad parameter, 503 while Elasticsearch cannot answer. */
final class LogSearchResponses {

    private static final Logger LOG = Logger.getLogger(LogSearchResponses.class);

    private LogSearchResponses() {
    }

    /** Browsers must not sniff a JSON answer into HTML: it carries logged statements verbatim. */
    static final String NO_SNIFF = "X-Content-Type-Options";

    static Response ok(Object body) {
        return Response.ok(body).type(MediaType.APPLICATION_JSON).header(NO_SNIFF, "nosniff").build();
    }

    static Response badRequest(BadParameterException e) {
        return error(Response.Status.BAD_REQUEST, e.getMessage());
    }

    static Response unavailable(SearchUnavailableException e) {
        LOG.warnf("log search failed: %s", e.getMessage());
        return error(Response.Status.SERVICE_UNAVAILABLE, "log search is unavailable: " + e.getMessage());
    }

    static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).header(NO_SNIFF, "nosniff")
                .entity(Map.of("error", message)).build();
    }
}
