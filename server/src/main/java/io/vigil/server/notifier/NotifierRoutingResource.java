package io.vigil.server.notifier;

import io.vigil.model.Durations;
import io.vigil.notifier.NotifierRole;
import io.vigil.notifier.routing.Route;
import io.vigil.notifier.routing.RoutingConfig;
import io.vigil.notifier.routing.RoutingSource;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/notifier/routing}: the routes, inhibitions and escalation policies in force, and why a reload was refused. */
@Path("/api/v1/notifier/routing")
@Produces(MediaType.APPLICATION_JSON)
public class NotifierRoutingResource {

    private final NotifierRole notifier;

    public NotifierRoutingResource(NotifierRole notifier) {
        this.notifier = notifier;
    }

    @GET
    public Map<String, Object> routing() {
        RoutingSource source = notifier.routing();
        RoutingConfig config = source.get();
        var body = new LinkedHashMap<String, Object>();
        body.put("routes", config.tree().all().stream().map(NotifierRoutingResource::view).toList());
        body.put("inhibit_rules", config.inhibitRules().stream().map(r -> Map.of("name", r.name(),
                "source_matchers", r.source().stream().map(Object::toString).toList(),
                "target_matchers", r.target().stream().map(Object::toString).toList(), "equal", r.equal())).toList());
        body.put("escalation_policies", config.escalationPolicies().values().stream().map(p -> Map.of("name", p.name(),
                "repeat", p.repeat(), "levels", p.levels().stream().map(l -> Map.of("notify", l.targets(),
                        "escalate_after", Durations.format(l.escalateAfter()))).toList())).toList());
        body.put("schedules", config.schedules().keySet().stream().sorted().toList());
        body.put("load_problems", source.problems());
        return body;
    }

    private static Map<String, Object> view(Route r) {
        var v = new LinkedHashMap<String, Object>();
        v.put("path", r.path());
        v.put("matchers", r.matchers().stream().map(Object::toString).toList());
        v.put("receivers", r.receivers());
        v.put("group_by", r.groupByAll() ? List.of("...") : r.groupBy());
        v.put("group_wait", Durations.format(r.groupWait()));
        v.put("group_interval", Durations.format(r.groupInterval()));
        v.put("repeat_interval", Durations.format(r.repeatInterval()));
        v.put("continue", r.continueMatching());
        v.put("mute_time_windows", r.muteTimeWindows());
        v.put("active_time_windows", r.activeTimeWindows());
        v.put("escalation", r.escalation());
        return v;
    }
}
