package io.vigil.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.model.Durations;
import io.vigil.model.Labels;
import io.vigil.model.Secret;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads targets from a YAML file:
 *
 * <pre>
 * defaults: {interval: 10s, timeout: 5s}
 * targets:
 *   - id: pay-db-1
 *     kind: mysql
 *     address: 10.0.0.1:3306
 *     cluster: pay
 *     user: vigil
 *     password_env: PAY_DB_PASSWORD    # or password_file: /etc/vigil/pay-db.pw, or password: …
 *     labels: {service: pay, idc: sh1}
 * </pre>
 *
 * Every problem is reported at once, each naming the file and the field ({@code targets[2].address}),
 * so an operator fixes a file in one pass.
 */
public final class TargetsFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> TARGET_FIELDS = Set.of("id", "kind", "address", "cluster", "user", "password", "password_env",
            "password_file", "interval", "timeout", "labels");
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final Function<String, String> environment;

    public TargetsFile(Function<String, String> environment) {
        this.environment = environment;
    }

    public TargetsFile() {
        this(System::getenv);
    }

    public List<Target> load(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new InvalidTargetsException(file + ": cannot read: " + e.getMessage().lines().findFirst().orElse(""));
        }
        var errors = new ArrayList<String>();
        var targets = parse(root, errors);
        if (!errors.isEmpty()) {
            throw new InvalidTargetsException(file + ": " + errors.size() + " problem(s):\n  " + String.join("\n  ", errors));
        }
        return targets;
    }

    private List<Target> parse(JsonNode root, List<String> errors) {
        if (root == null || !root.isObject()) {
            errors.add("expected a mapping with a 'targets' list");
            return List.of();
        }
        JsonNode defaults = root.path("defaults");
        Duration defaultInterval = duration(defaults, "interval", "defaults.interval", DEFAULT_INTERVAL, errors);
        Duration defaultTimeout = duration(defaults, "timeout", "defaults.timeout", DEFAULT_TIMEOUT, errors);
        JsonNode list = root.path("targets");
        if (!list.isArray()) {
            errors.add("targets: expected a list");
            return List.of();
        }
        var targets = new ArrayList<Target>();
        var ids = new HashSet<String>();
        for (int i = 0; i < list.size(); i++) {
            String where = "targets[" + i + "]";
            JsonNode node = list.get(i);
            if (!node.isObject()) {
                errors.add(where + ": expected a mapping");
                continue;
            }
            int before = errors.size();
            node.fieldNames().forEachRemaining(f -> {
                if (!TARGET_FIELDS.contains(f)) {
                    errors.add(where + "." + f + ": unknown field (known: " + String.join(", ", TARGET_FIELDS.stream().sorted().toList()) + ")");
                }
            });
            String id = required(node, "id", where, errors);
            if (id != null && !id.matches("[A-Za-z0-9][A-Za-z0-9_.:-]*")) {
                errors.add(where + ".id: '" + id + "' must start with a letter or digit and contain only letters, digits, '_', '.', ':', '-'");
            } else if (id != null && !ids.add(id)) {
                errors.add(where + ".id: '" + id + "' is used by another target");
            }
            TargetKind kind = null;
            String kindText = required(node, "kind", where, errors);
            if (kindText != null) {
                try {
                    kind = TargetKind.fromId(kindText);
                } catch (IllegalArgumentException e) {
                    errors.add(where + ".kind: " + e.getMessage());
                }
            }
            String address = required(node, "address", where, errors);
            if (address != null && !address.matches("[^\\s:]+:\\d{1,5}|\\[[0-9a-fA-F:]+]:\\d{1,5}")) {
                errors.add(where + ".address: '" + address + "' must be host:port");
            }
            Duration interval = duration(node, "interval", where + ".interval", defaultInterval, errors);
            Duration timeout = duration(node, "timeout", where + ".timeout", defaultTimeout, errors);
            if (timeout.compareTo(interval) > 0) {
                errors.add(where + ".timeout: " + Durations.format(timeout) + " is longer than the interval " + Durations.format(interval));
            }
            Secret password = password(node, where, errors);
            Labels labels = labels(node.path("labels"), where + ".labels", errors);
            if (errors.size() == before) {
                targets.add(new Target(id, kind, address, text(node, "cluster"), text(node, "user"), password, interval, timeout, labels));
            }
        }
        return targets;
    }

    private Secret password(JsonNode node, String where, List<String> errors) {
        String literal = text(node, "password");
        String env = text(node, "password_env");
        String file = text(node, "password_file");
        long given = java.util.stream.Stream.of(literal, env, file).filter(s -> s != null).count();
        if (given > 1) {
            errors.add(where + ": give only one of password, password_env, password_file");
            return Secret.NONE;
        }
        if (env != null) {
            String value = environment.apply(env);
            if (value == null) {
                errors.add(where + ".password_env: environment variable " + env + " is not set");
                return Secret.NONE;
            }
            return Secret.of(value);
        }
        if (file != null) {
            try {
                return Secret.of(Files.readString(Path.of(file)).strip());
            } catch (IOException e) {
                errors.add(where + ".password_file: cannot read " + file + ": " + e.getClass().getSimpleName());
                return Secret.NONE;
            }
        }
        return Secret.of(literal);
    }

    private static Labels labels(JsonNode node, String where, List<String> errors) {
        if (node.isMissingNode() || node.isNull()) {
            return Labels.EMPTY;
        }
        if (!node.isObject()) {
            errors.add(where + ": expected a mapping of label names to values");
            return Labels.EMPTY;
        }
        Map<String, String> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!Labels.isValidName(e.getKey()) || e.getKey().startsWith("__")) {
                errors.add(where + "." + e.getKey() + ": invalid label name");
            } else if (!e.getValue().isValueNode()) {
                errors.add(where + "." + e.getKey() + ": expected a plain value");
            } else {
                map.put(e.getKey(), e.getValue().asText());
            }
        });
        return Labels.of(map);
    }

    private static Duration duration(JsonNode node, String field, String where, Duration fallback, List<String> errors) {
        String text = text(node, field);
        if (text == null) {
            return fallback;
        }
        try {
            Duration d = Durations.parse(text);
            if (d.isZero()) {
                errors.add(where + ": must be more than zero");
                return fallback;
            }
            return d;
        } catch (IllegalArgumentException e) {
            errors.add(where + ": " + e.getMessage());
            return fallback;
        }
    }

    private static String required(JsonNode node, String field, String where, List<String> errors) {
        String value = text(node, field);
        if (value == null || value.isBlank()) {
            errors.add(where + "." + field + ": required");
            return null;
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The targets file is wrong; the message lists every problem. */
    public static final class InvalidTargetsException extends RuntimeException {
        public InvalidTargetsException(String message) {
            super(message);
        }
    }
}
