package io.vigil.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.model.Secret;
import io.vigil.model.Target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
    private static final Set<String> TARGET_FIELDS = withPasswordSources();
    static final Duration DEFAULT_INTERVAL = TargetValidator.DEFAULT_INTERVAL;
    static final Duration DEFAULT_TIMEOUT = TargetValidator.DEFAULT_TIMEOUT;

    private final Function<String, String> environment;

    public TargetsFile(Function<String, String> environment) {
        this.environment = environment;
    }

    public TargetsFile() {
        this(System::getenv);
    }

    private static Set<String> withPasswordSources() {
        var fields = new HashSet<>(TargetValidator.DEFINITION_FIELDS);
        fields.addAll(List.of("password", "password_env", "password_file"));
        return Set.copyOf(fields);
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
        var problems = new ArrayList<TargetValidator.Problem>();
        JsonNode defaults = root.path("defaults");
        Duration defaultInterval = TargetValidator.duration(defaults, "interval", DEFAULT_INTERVAL, problems);
        Duration defaultTimeout = TargetValidator.duration(defaults, "timeout", DEFAULT_TIMEOUT, problems);
        problems.forEach(p -> errors.add(p.render("defaults")));
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
            problems.clear();
            TargetValidator.checkFields(node, TARGET_FIELDS, problems);
            Secret password = password(node, problems);
            String id = text(node, "id");
            // Uniqueness is the file's rule (the API has its own: 409), checked even when other fields are wrong.
            if (TargetValidator.isValidId(id) && !ids.add(id)) {
                problems.add(new TargetValidator.Problem("id", "'" + id + "' is used by another target"));
            }
            Target target = TargetValidator.validate(node, defaultInterval, defaultTimeout, password, problems);
            problems.forEach(p -> errors.add(p.render(where)));
            if (problems.isEmpty()) {
                targets.add(target);
            }
        }
        return targets;
    }

    private Secret password(JsonNode node, List<TargetValidator.Problem> problems) {
        String literal = text(node, "password");
        String env = text(node, "password_env");
        String file = text(node, "password_file");
        long given = java.util.stream.Stream.of(literal, env, file).filter(s -> s != null).count();
        if (given > 1) {
            problems.add(new TargetValidator.Problem("", "give only one of password, password_env, password_file"));
            return Secret.NONE;
        }
        if (env != null) {
            String value = environment.apply(env);
            if (value == null) {
                problems.add(new TargetValidator.Problem("password_env", "environment variable " + env + " is not set"));
                return Secret.NONE;
            }
            return Secret.of(value);
        }
        if (file != null) {
            try {
                return Secret.of(Files.readString(Path.of(file)).strip());
            } catch (IOException e) {
                problems.add(new TargetValidator.Problem("password_file", "cannot read " + file + ": " + e.getClass().getSimpleName()));
                return Secret.NONE;
            }
        }
        return Secret.of(literal);
    }

    private static String text(JsonNode node, String field) {
        return TargetValidator.text(node, field);
    }

    /** The targets file is wrong; the message lists every problem. */
    public static final class InvalidTargetsException extends RuntimeException {
        public InvalidTargetsException(String message) {
            super(message);
        }
    }
}
