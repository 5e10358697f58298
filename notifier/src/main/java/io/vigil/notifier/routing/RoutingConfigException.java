package io.vigil.notifier.routing;

import java.util.List;

/** Every problem of a routing file at once, each naming where it is ({@code route.routes[1].group_wait: …}). */
public final class RoutingConfigException extends RuntimeException {

    private final transient List<String> problems;

    public RoutingConfigException(String source, List<String> problems) {
        super(source + ": " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
