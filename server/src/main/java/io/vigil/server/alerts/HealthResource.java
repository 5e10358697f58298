package io.vigil.server.alerts;

import io.vigil.rules.RulesRole;
import io.vigil.rules.health.HealthStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/v1/health/clusters}: every cluster's green / yellow / red with the reason. A cluster
 * whose health no rules instance has confirmed for a minute is {@code unknown}, with the last
 * known state beside it: the wall must not show an old green as current.
 */
@Path("/api/v1/health/clusters")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {

    static final Duration STALE_AFTER = Duration.ofSeconds(60);

    private final HealthStore store;

    public HealthResource(RulesRole role) {
        this.store = role.healthStore();
    }

    @GET
    public Map<String, Object> clusters() throws SQLException {
        var out = new ArrayList<Map<String, Object>>();
        Instant now = Instant.now();
        for (HealthStore.Stored s : store.all()) {
            var h = s.health();
            boolean stale = Duration.between(s.updatedAt(), now).compareTo(STALE_AFTER) > 0;
            var m = new LinkedHashMap<String, Object>();
            m.put("cluster", h.cluster());
            m.put("kind", h.kind());
            m.put("status", stale ? "unknown" : h.status().wireName());
            m.put("reason", stale ? "no rules instance has confirmed this cluster's health since " + s.updatedAt()
                    + "; last known: " + h.status().wireName() + ", " + h.reason() : h.reason());
            m.put("members", h.members());
            m.put("serving", h.serving());
            m.put("since", Instant.ofEpochMilli(h.atMillis()));
            m.put("updatedAt", s.updatedAt());
            out.add(m);
        }
        return Map.of("clusters", out);
    }
}
