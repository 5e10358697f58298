package io.vigil.logs.search;

import java.util.Optional;

/** Exact filters on slow queries; an empty one matches everything. */
public record SlowLogFilter(Optional<String> cluster, Optional<String> instance, Optional<String> schema,
                            Optional<String> user) {

    public static final SlowLogFilter ALL = new SlowLogFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public SlowLogFilter {
        cluster = cluster.filter(s -> !s.isBlank());
        instance = instance.filter(s -> !s.isBlank());
        schema = schema.filter(s -> !s.isBlank());
        user = user.filter(s -> !s.isBlank());
    }

    public SlowLogFilter withInstance(String instance) {
        return new SlowLogFilter(cluster, Optional.ofNullable(instance), schema, user);
    }
}
