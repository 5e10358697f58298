package io.vigil.rules.health;

import java.util.Locale;

/** A cluster's state at a glance, as the NOC wall colours it; the number is the {@code vigil_cluster_health} value. */
public enum HealthStatus {
    /** Every node serving. */
    GREEN(0),
    /** Serving, but not with every node: one more loss may stop it. */
    YELLOW(1),
    /** Not serving: no Primary component, no writable primary, no master. */
    RED(2);

    private final int value;

    HealthStatus(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
