package io.vigil.logs.index;

import io.vigil.logs.wire.LogKind;
import java.util.Locale;

/** The three kinds of daily index Vigil writes, one per {@link LogKind}. */
public enum LogIndex {
    SLOW("slow"),
    ERRORS("errors"),
    DIGESTS("digests");

    private final String suffix;

    LogIndex(String suffix) {
        this.suffix = suffix;
    }

    /** The part of the index name after the prefix, e.g. {@code slow}. */
    public String suffix() {
        return suffix;
    }

    public static LogIndex of(LogKind kind) {
        return switch (kind) {
            case SLOW -> SLOW;
            case ERROR -> ERRORS;
            case DIGEST -> DIGESTS;
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
