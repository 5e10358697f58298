package io.vigil.model;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The roles one Vigil process can play. On one machine all run in one process; at scale each
 * host runs some ({@code vigil.roles=collector} here, {@code ingest,rules} there). The API
 * server is always on.
 */
public enum Role {
    COLLECTOR, INGEST, RULES, NOTIFIER, LOGS;

    public static final String CONFIG_KEY = "vigil.roles";
    public static final String ALL = "collector,ingest,rules,notifier,logs";

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code "collector, ingest"}; {@code "all"} means every role. */
    public static Set<Role> parse(String csv) {
        var roles = EnumSet.noneOf(Role.class);
        for (String part : csv.split(",")) {
            String id = part.trim().toLowerCase(Locale.ROOT);
            if (id.isEmpty()) {
                continue;
            }
            if (id.equals("all")) {
                return EnumSet.allOf(Role.class);
            }
            roles.add(Arrays.stream(values()).filter(r -> r.id().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown role '" + part.trim() + "' in " + CONFIG_KEY
                            + "; known roles: " + ALL)));
        }
        return roles;
    }
}
