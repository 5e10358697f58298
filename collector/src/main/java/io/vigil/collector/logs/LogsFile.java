package io.vigil.collector.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.collector.TargetValidator;
import io.vigil.logs.wire.LogKind;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what the shipper of this collector follows, from a YAML file:
 *
 * <pre>
 * host: db-host-7                       # optional; this machine's name by default
 * files:
 *   - {path: /var/lib/mysql/slow.log, kind: slow, instance: 10.0.0.1:3306, cluster: pay}
 *   - {path: /var/log/mysql/error.log, kind: error, instance: 10.0.0.1:3306, cluster: pay}
 * digests:
 *   - {target: pay-db-2, interval: 60s}  # a mysql target of the targets file: its address and credentials
 * </pre>
 *
 * Every problem is reported at once, each naming the file and the field ({@code files[1].kind}).
 */
public final class LogsFile {

    public static final Duration DEFAULT_DIGEST_INTERVAL = Duration.ofSeconds(60);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> TOP = Set.of("host", "files", "digests");
    private static final Set<String> FILE_FIELDS = Set.of("path", "kind", "instance", "cluster");
    private static final Set<String> DIGEST_FIELDS = Set.of("target", "interval");

    /** A log file to follow. */
    public record FileSpec(Path path, LogKind kind, String instance, String cluster) {
    }

    /** A target whose statement digests are read every {@code interval}. */
    public record DigestSpec(Target target, Duration interval) {
    }

    /** What the file says; {@code host} is null when the file does not name one. */
    public record Plan(String host, List<FileSpec> files, List<DigestSpec> digests) {
    }

    /** @param targets the targets of the targets file, by id: a digest source names one of them */
    public Plan load(Path file, Map<String, Target> targets) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new InvalidLogsFileException(file + ": cannot read: " + e.getMessage().lines().findFirst().orElse(""));
        }
        var errors = new ArrayList<String>();
        Plan plan = parse(root, targets, errors);
        if (!errors.isEmpty()) {
            throw new InvalidLogsFileException(file + ": " + errors.size() + " problem(s):\n  " + String.join("\n  ", errors));
        }
        return plan;
    }

    private Plan parse(JsonNode root, Map<String, Target> targets, List<String> errors) {
        if (root == null || !root.isObject()) {
            errors.add("expected a mapping with 'files' and/or 'digests'");
            return null;
        }
        var problems = new ArrayList<TargetValidator.Problem>();
        TargetValidator.checkFields(root, TOP, problems);
        problems.forEach(p -> errors.add(p.render("")));
        String host = TargetValidator.text(root, "host");
        if (host != null && host.isBlank()) {
            errors.add("host: must not be empty");
        }
        var files = new ArrayList<FileSpec>();
        var paths = new HashSet<Path>();
        JsonNode list = root.path("files");
        if (!list.isMissingNode() && !list.isNull() && !list.isArray()) {
            errors.add("files: expected a list");
        } else {
            for (int i = 0; i < list.size(); i++) {
                FileSpec spec = file(list.get(i), "files[" + i + "]", errors);
                if (spec != null && !paths.add(spec.path())) {
                    errors.add("files[" + i + "].path: " + spec.path() + " is listed twice");
                } else if (spec != null) {
                    files.add(spec);
                }
            }
        }
        var digests = new ArrayList<DigestSpec>();
        JsonNode dlist = root.path("digests");
        if (!dlist.isMissingNode() && !dlist.isNull() && !dlist.isArray()) {
            errors.add("digests: expected a list");
        } else {
            for (int i = 0; i < dlist.size(); i++) {
                DigestSpec spec = digest(dlist.get(i), "digests[" + i + "]", targets, errors);
                if (spec != null) {
                    digests.add(spec);
                }
            }
        }
        return new Plan(host, List.copyOf(files), List.copyOf(digests));
    }

    private static FileSpec file(JsonNode node, String where, List<String> errors) {
        if (node == null || !node.isObject()) {
            errors.add(where + ": expected a mapping");
            return null;
        }
        int before = errors.size();
        var problems = new ArrayList<TargetValidator.Problem>();
        TargetValidator.checkFields(node, FILE_FIELDS, problems);
        problems.forEach(p -> errors.add(p.render(where)));
        String path = TargetValidator.text(node, "path");
        if (path == null || path.isBlank()) {
            errors.add(where + ".path: required");
        } else if (!path.startsWith("/")) {
            errors.add(where + ".path: '" + path + "' must be an absolute path");
        }
        String kind = TargetValidator.text(node, "kind");
        LogKind logKind = null;
        if (kind == null) {
            errors.add(where + ".kind: required (slow or error)");
        } else if (kind.equals("slow")) {
            logKind = LogKind.SLOW;
        } else if (kind.equals("error")) {
            logKind = LogKind.ERROR;
        } else {
            errors.add(where + ".kind: '" + kind + "' is not slow or error");
        }
        String instance = TargetValidator.text(node, "instance");
        if (instance == null || instance.isBlank()) {
            errors.add(where + ".instance: required (the server whose log this is, e.g. 10.0.0.1:3306)");
        }
        if (errors.size() != before) {
            return null;
        }
        return new FileSpec(Path.of(path).normalize(), logKind, instance, TargetValidator.text(node, "cluster"));
    }

    private static DigestSpec digest(JsonNode node, String where, Map<String, Target> targets, List<String> errors) {
        if (node == null || !node.isObject()) {
            errors.add(where + ": expected a mapping");
            return null;
        }
        int before = errors.size();
        var problems = new ArrayList<TargetValidator.Problem>();
        TargetValidator.checkFields(node, DIGEST_FIELDS, problems);
        Duration interval = TargetValidator.duration(node, "interval", DEFAULT_DIGEST_INTERVAL, problems);
        problems.forEach(p -> errors.add(p.render(where)));
        String id = TargetValidator.text(node, "target");
        Target target = id == null ? null : targets.get(id);
        if (id == null) {
            errors.add(where + ".target: required (the id of a mysql target of the targets file)");
        } else if (target == null) {
            errors.add(where + ".target: no target '" + id + "' in the targets file");
        } else if (target.kind() != TargetKind.MYSQL) {
            errors.add(where + ".target: '" + id + "' is a " + target.kind().id() + " target; digests need a mysql one");
        }
        return errors.size() == before ? new DigestSpec(target, interval) : null;
    }

    /** The logs file is wrong; the message lists every problem. */
    public static final class InvalidLogsFileException extends RuntimeException {
        public InvalidLogsFileException(String message) {
            super(message);
        }
    }
}
