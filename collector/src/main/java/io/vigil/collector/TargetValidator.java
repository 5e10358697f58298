package io.vigil.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.Durations;
import io.vigil.model.Labels;
import io.vigil.model.Secret;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules a target definition must follow, wherever it comes from (the YAML file, the REST
 * API, the {@code vigil.targets} topic): one place, so the sources cannot drift apart.
 * Every problem is collected, each naming its field, so a user fixes everything in one pass.
 */
public final class TargetValidator {

    /** The definition's fields, without any way of giving a password (each source has its own). */
    public static final Set<String> DEFINITION_FIELDS = Set.of("id", "kind", "address", "cluster", "user", "interval", "timeout", "labels",
            "discover");
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private TargetValidator() {
    }

    /** One problem; {@code field} is relative to the target ({@code address}, {@code labels.team}), empty for the whole. */
    public record Problem(String field, String message) {
        /** {@code targets[2].address: required} */
        public String render(String where) {
            String path = where.isEmpty() ? field : field.isEmpty() ? where : where + "." + field;
            return path.isEmpty() ? message : path + ": " + message;
        }
    }

    public static boolean isValidId(String id) {
        return id != null && id.matches("[A-Za-z0-9][A-Za-z0-9_.:-]*") && id.length() <= 200;
    }

    /** Reports fields not in {@code known}; a misspelt field must not be ignored silently. */
    public static void checkFields(JsonNode node, Set<String> known, List<Problem> problems) {
        node.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                problems.add(new Problem(f, "unknown field (known: " + String.join(", ", known.stream().sorted().toList()) + ")"));
            }
        });
    }

    /**
     * The target the node defines, or null when it has problems (added to {@code problems}).
     * The password was resolved by the caller, whose source decides how it may be given.
     */
    public static Target validate(JsonNode node, Duration defaultInterval, Duration defaultTimeout, Secret password, List<Problem> problems) {
        int before = problems.size();
        String id = required(node, "id", problems);
        if (id != null && !isValidId(id)) {
            problems.add(new Problem("id", "'" + id + "' must start with a letter or digit and contain only letters, digits, '_', '.', ':', '-'"));
        }
        TargetKind kind = null;
        String kindText = required(node, "kind", problems);
        if (kindText != null) {
            try {
                kind = TargetKind.fromId(kindText);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem("kind", e.getMessage()));
            }
        }
        String address = required(node, "address", problems);
        if (address != null && kind != null && !kind.networked()) {
            if (!address.startsWith("/") || address.contains("..")) {
                problems.add(new Problem("address", "'" + address + "' must be an absolute path (the cgroup mount root, e.g. /sys/fs/cgroup)"));
            }
        } else if (address != null && !address.matches("[^\\s:]+:\\d{1,5}|\\[[0-9a-fA-F:]+]:\\d{1,5}")) {
            problems.add(new Problem("address", "'" + address + "' must be host:port"));
        }
        Duration interval = duration(node, "interval", defaultInterval, problems);
        Duration timeout = duration(node, "timeout", defaultTimeout, problems);
        if (timeout.compareTo(interval) > 0) {
            problems.add(new Problem("timeout", Durations.format(timeout) + " is longer than the interval " + Durations.format(interval)));
        }
        Labels labels = labels(node.path("labels"), problems);
        boolean discover = false;
        if (node.has("discover")) {
            if (node.get("discover").isBoolean()) {
                discover = node.get("discover").booleanValue();
            } else {
                problems.add(new Problem("discover", "expected true or false"));
            }
        }
        if (discover && kind != null && !kind.networked()) {
            problems.add(new Problem("discover", "'" + kind.id() + "' targets have no members to discover"));
        }
        if (problems.size() != before) {
            return null;
        }
        return new Target(id, kind, address, text(node, "cluster"), text(node, "user"), password, interval, timeout, labels, discover);
    }

    /** A positive duration, or the fallback when the field is absent. */
    public static Duration duration(JsonNode node, String field, Duration fallback, List<Problem> problems) {
        String text = text(node, field);
        if (text == null) {
            return fallback;
        }
        try {
            Duration d = Durations.parse(text);
            if (d.isZero()) {
                problems.add(new Problem(field, "must be more than zero"));
                return fallback;
            }
            return d;
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(field, e.getMessage()));
            return fallback;
        }
    }

    private static Labels labels(JsonNode node, List<Problem> problems) {
        if (node.isMissingNode() || node.isNull()) {
            return Labels.EMPTY;
        }
        if (!node.isObject()) {
            problems.add(new Problem("labels", "expected a mapping of label names to values"));
            return Labels.EMPTY;
        }
        Map<String, String> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!Labels.isValidName(e.getKey()) || e.getKey().startsWith("__")) {
                problems.add(new Problem("labels." + e.getKey(), "invalid label name"));
            } else if (!e.getValue().isValueNode()) {
                problems.add(new Problem("labels." + e.getKey(), "expected a plain value"));
            } else {
                map.put(e.getKey(), e.getValue().asText());
            }
        });
        return Labels.of(map);
    }

    private static String required(JsonNode node, String field, List<Problem> problems) {
        String value = text(node, field);
        if (value == null || value.isBlank()) {
            problems.add(new Problem(field, "required"));
            return null;
        }
        return value;
    }

    /** The field as text, null when absent or null. */
    public static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
