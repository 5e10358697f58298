package io.vigil.model;

import java.util.Locale;

/**
 * Where an alert is in its life. {@code NODATA} is its own state: the series the rule watches
 * stopped reporting, which is never taken for a recovery.
 */
public enum AlertState {
    /** The condition holds, not yet for the rule's {@code for}. Not notified. */
    PENDING,
    FIRING,
    /** No data for the rule's {@code no_data.for}: while firing, or, where the rule asks, on its own. */
    NODATA,
    RESOLVED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AlertState parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }

    /** Firing and no-data alerts are the active ones a pager and the wall show. */
    public boolean isActive() {
        return this == FIRING || this == NODATA;
    }
}
