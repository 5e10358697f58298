package io.vigil.model;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An immutable set of label name/value pairs, kept sorted by name so that equal label sets have
 * one identity (the series dictionary and the wire codec both rely on the order being stable).
 */
public final class Labels {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    public static final Labels EMPTY = new Labels(new TreeMap<>());

    private final SortedMap<String, String> pairs;
    /** Labels are hash keys on the ingest hot path (series ids): compute the hash once. */
    private final int hash;
    /** Cache of {@link #withoutMetricName()}; racy but idempotent, as String's hash cache. */
    private Labels withoutName;

    private Labels(SortedMap<String, String> pairs) {
        this.pairs = Collections.unmodifiableSortedMap(pairs);
        this.hash = pairs.hashCode();
    }

    /** Labels from a map; empty values are dropped, as in Prometheus where "" means absent. */
    public static Labels of(Map<String, String> map) {
        var sorted = new TreeMap<String, String>();
        map.forEach((name, value) -> {
            requireValidName(name);
            if (value != null && !value.isEmpty()) {
                sorted.put(name, value);
            }
        });
        return sorted.isEmpty() ? EMPTY : new Labels(sorted);
    }

    /** Labels from alternating names and values: {@code Labels.of("cluster", "pay", "role", "primary")}. */
    public static Labels of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("label names and values must come in pairs, got " + namesAndValues.length + " strings");
        }
        var map = new TreeMap<String, String>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return of(map);
    }

    /** Same rule as {@link #NAME}, without a regex: it runs for every name of every decoded batch. */
    public static boolean isValidName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            if (!letter && !(i > 0 && c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    private static void requireValidName(String name) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("invalid label name '" + name + "': must match " + NAME.pattern());
        }
    }

    /** The value of a label, or null when absent. */
    public String get(String name) {
        return pairs.get(name);
    }

    /** These labels with {@code other}'s added; on a clash {@code other} wins. */
    public Labels merge(Labels other) {
        if (other.pairs.isEmpty()) {
            return this;
        }
        if (pairs.isEmpty()) {
            return other;
        }
        var merged = new TreeMap<>(pairs);
        merged.putAll(other.pairs);
        return new Labels(merged);
    }

    /**
     * These labels without {@code __name__}: a series' identity in PromQL results and alerts. Kept
     * once computed, since a series is asked for it at every evaluation of every rule that reads it.
     */
    public Labels withoutMetricName() {
        Labels w = withoutName;
        if (w == null) {
            if (!pairs.containsKey(LabelNames.METRIC_NAME)) {
                w = this;
            } else {
                var map = new TreeMap<>(pairs);
                map.remove(LabelNames.METRIC_NAME);
                w = new Labels(map);
            }
            withoutName = w;
        }
        return w;
    }

    public Labels with(String name, String value) {
        return merge(of(name, value));
    }

    public SortedMap<String, String> asMap() {
        return pairs;
    }

    public int size() {
        return pairs.size();
    }

    public boolean isEmpty() {
        return pairs.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof Labels other && hash == other.hash && pairs.equals(other.pairs));
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        var sb = new StringBuilder("{");
        pairs.forEach((name, value) -> {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(name).append("=\"").append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        });
        return sb.append('}').toString();
    }
}
