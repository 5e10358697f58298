package io.vigil.rules;

import io.vigil.model.Labels;
import io.vigil.model.Severity;
import io.vigil.promql.PromDurations;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a rule set (YAML, or JSON, which is YAML) into compiled rules. Every problem of every
 * rule is reported at once, each with its source position ({@code mysql.yaml:14:11: rule
 * ReplicationLag: expr: 1:27: parse error: …}); one bad rule rejects the whole set, so what is
 * loaded is always exactly what was reviewed.
 */
public final class RuleSetParser {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> FIELDS = Set.of("name", "expr", "for", "recover", "recover_for", "severity", "labels",
            "annotations", "escalate", "no_data");
    private static final Set<String> RESERVED_LABELS = Set.of("alertname", "severity", "__name__");
    /** A rule set is config, not data: a bigger document is a mistake (or an attack on the API). */
    static final int MAX_DOCUMENT_CHARS = 4 * 1024 * 1024;

    private RuleSetParser() {
    }

    /**
     * @param source where the text came from, used in messages and recorded on each rule
     * @throws RuleException listing every problem
     */
    public static List<CompiledRule> parse(String text, String source) {
        var problems = new ArrayList<String>();
        if (text.length() > MAX_DOCUMENT_CHARS) {
            throw new RuleException(List.of(source + ": " + text.length() + " characters; a rule set may have at most " + MAX_DOCUMENT_CHARS));
        }
        Node root;
        try {
            var options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(20);
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark();
            String where = m == null ? source : source + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
            throw new RuleException(List.of(where + ": not valid YAML: " + e.getProblem()));
        } catch (RuntimeException e) {
            throw new RuleException(List.of(source + ": not valid YAML: " + e.getMessage()));
        }
        if (root == null) {
            return List.of();
        }
        Node rulesNode = null;
        if (root instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                String key = scalar(t.getKeyNode());
                if ("rules".equals(key)) {
                    rulesNode = t.getValueNode();
                } else {
                    problems.add(at(source, t.getKeyNode()) + "unknown top-level field \"" + key + "\"; a rule set is {rules: [...]}");
                }
            }
        } else {
            problems.add(at(source, root) + "a rule set is a mapping with a \"rules\" list");
        }
        var out = new ArrayList<CompiledRule>();
        if (rulesNode != null && !(rulesNode instanceof SequenceNode)) {
            problems.add(at(source, rulesNode) + "rules: must be a list");
        } else if (rulesNode != null) {
            var names = new HashSet<String>();
            for (Node n : ((SequenceNode) rulesNode).getValue()) {
                CompiledRule r = rule(n, source, problems);
                String name = n instanceof MappingNode m ? m.getValue().stream()
                        .filter(t -> "name".equals(scalar(t.getKeyNode()))).map(t -> scalar(t.getValueNode())).findFirst().orElse(null) : null;
                if (name != null && !names.add(name)) {
                    problems.add(at(source, n) + "rule " + name + ": name: used by another rule of this set");
                } else if (r != null) {
                    out.add(r);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new RuleException(problems);
        }
        return out;
    }

    /**
     * One rule on its own (the body of {@code POST /api/v1/rules}): a mapping with the fields of a
     * rule-set entry, in YAML or JSON.
     *
     * @throws RuleException listing every problem, positioned in {@code text}
     */
    public static CompiledRule parseRule(String text, String source) {
        if (text.length() > MAX_DOCUMENT_CHARS) {
            throw new RuleException(List.of(source + ": " + text.length() + " characters; a rule may have at most " + MAX_DOCUMENT_CHARS));
        }
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark();
            String where = m == null ? source : source + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
            throw new RuleException(List.of(where + ": not valid YAML or JSON: " + e.getProblem()));
        } catch (RuntimeException e) {
            throw new RuleException(List.of(source + ": not valid YAML or JSON: " + e.getMessage()));
        }
        if (root == null) {
            throw new RuleException(List.of(source + ": empty; a rule has name and expr"));
        }
        var problems = new ArrayList<String>();
        CompiledRule r = rule(root, source, problems);
        if (!problems.isEmpty() || r == null) {
            throw new RuleException(problems);
        }
        return r;
    }

    private static CompiledRule rule(Node node, String source, List<String> problems) {
        if (!(node instanceof MappingNode map)) {
            problems.add(at(source, node) + "each rule is a mapping with name and expr");
            return null;
        }
        Map<String, NodeTuple> fields = new LinkedHashMap<>();
        int before = problems.size();
        for (NodeTuple t : map.getValue()) {
            String key = scalar(t.getKeyNode());
            if (!FIELDS.contains(key)) {
                problems.add(at(source, t.getKeyNode()) + "unknown field \"" + key + "\"; a rule has " + String.join(", ", sorted(FIELDS)));
            } else if (fields.containsKey(key)) {
                String first = text(fields.get("name"));
                problems.add(at(source, t.getKeyNode()) + "rule " + (first == null ? "(unnamed)" : first) + ": " + key + ": appears twice in this rule");
            } else {
                fields.put(key, t);
            }
        }
        String name = text(fields.get("name"));
        String prefix = "rule " + (name == null ? "(unnamed)" : name) + ": ";
        var f = new FieldReader(source, prefix, node, problems);
        if (name == null) {
            problems.add(at(source, node) + "rule: name: required");
        } else if (!NAME.matcher(name).matches()) {
            f.problem(fields.get("name").getValueNode(), "name", "must match [a-zA-Z_][a-zA-Z0-9_]*, got \"" + name + "\"");
        }
        String expr = text(fields.get("expr"));
        if (expr == null || expr.isBlank()) {
            f.problem(node, "expr", "required");
        }
        long forMillis = f.duration(fields.get("for"), "for", 0);
        long recoverFor = f.duration(fields.get("recover_for"), "recover_for", 0);
        Threshold recover = null;
        if (fields.containsKey("recover")) {
            try {
                recover = Threshold.parse(text(fields.get("recover")));
            } catch (IllegalArgumentException e) {
                f.problem(fields.get("recover").getValueNode(), "recover", e.getMessage());
            }
        }
        Severity severity = f.severity(fields.get("severity"), "severity", Severity.NORMAL);
        Map<String, String> labels = f.map(fields.get("labels"), "labels", true);
        Map<String, String> annotations = f.map(fields.get("annotations"), "annotations", false);
        RuleSpec.Escalation escalation = null;
        if (fields.containsKey("escalate")) {
            Map<String, NodeTuple> esc = f.object(fields.get("escalate"), "escalate", Set.of("after", "to"));
            long after = f.duration(esc.get("after"), "escalate.after", -1);
            Severity to = f.severity(esc.get("to"), "escalate.to", Severity.SEVERE);
            if (after < 0 && esc.get("after") == null) {
                f.problem(fields.get("escalate").getValueNode(), "escalate.after", "required");
            }
            if (to == severity) {
                f.problem(fields.get("escalate").getValueNode(), "escalate.to", "is the rule's own severity; nothing to escalate");
            }
            escalation = new RuleSpec.Escalation(Math.max(after, 0), to);
        }
        RuleSpec.NoData noData = RuleSpec.NoData.DEFAULT;
        if (fields.containsKey("no_data")) {
            Map<String, NodeTuple> nd = f.object(fields.get("no_data"), "no_data", Set.of("for", "alert", "severity"));
            long ndFor = f.duration(nd.get("for"), "no_data.for", RuleSpec.NoData.DEFAULT.forMillis());
            boolean alert = f.bool(nd.get("alert"), "no_data.alert", false);
            Severity ndSeverity = f.severity(nd.get("severity"), "no_data.severity", severity);
            noData = new RuleSpec.NoData(ndFor, alert, ndSeverity);
        }
        if (problems.size() > before) {
            return null;
        }
        var spec = new RuleSpec(name, expr, forMillis, recover, recoverFor, severity, labels, annotations, escalation, noData, source);
        try {
            return RuleCompiler.compile(spec);
        } catch (RuleException e) {
            Node at = switch (e.problems().get(0).replaceFirst("^rule [^:]+: ", "").replaceFirst(":.*", "")) {
                case "expr" -> fields.get("expr").getValueNode();
                case "recover" -> fields.get("recover").getValueNode();
                default -> node;
            };
            for (String p : e.problems()) {
                problems.add(at(source, at) + p);
            }
            return null;
        }
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    static String at(String source, Node n) {
        Mark m = n.getStartMark();
        return source + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1) + ": ";
    }

    private static String scalar(Node n) {
        return n instanceof ScalarNode s ? s.getValue() : null;
    }

    private static String text(NodeTuple t) {
        return t == null ? null : scalar(t.getValueNode());
    }

    /** Reads typed fields, adding a positioned problem for each bad one. */
    private record FieldReader(String source, String prefix, Node rule, List<String> problems) {

        void problem(Node at, String field, String message) {
            problems.add(at(source, at) + prefix + field + ": " + message);
        }

        long duration(NodeTuple t, String field, long otherwise) {
            if (t == null) {
                return otherwise;
            }
            String s = scalar(t.getValueNode());
            Long ms = s == null ? null : PromDurations.parseMillis(s);
            if (ms == null) {
                problem(t.getValueNode(), field, "must be a duration such as 30s, 5m or 1h30m, got " + (s == null ? "a structure" : "\"" + s + "\""));
                return otherwise;
            }
            return ms;
        }

        Severity severity(NodeTuple t, String field, Severity otherwise) {
            if (t == null) {
                return otherwise;
            }
            try {
                return Severity.parse(scalar(t.getValueNode()));
            } catch (IllegalArgumentException e) {
                problem(t.getValueNode(), field, e.getMessage());
                return otherwise;
            }
        }

        boolean bool(NodeTuple t, String field, boolean otherwise) {
            if (t == null) {
                return otherwise;
            }
            String s = scalar(t.getValueNode());
            if ("true".equals(s) || "false".equals(s)) {
                return Boolean.parseBoolean(s);
            }
            problem(t.getValueNode(), field, "must be true or false");
            return otherwise;
        }

        Map<String, String> map(NodeTuple t, String field, boolean labelNames) {
            var out = new LinkedHashMap<String, String>();
            if (t == null) {
                return out;
            }
            if (!(t.getValueNode() instanceof MappingNode m)) {
                problem(t.getValueNode(), field, "must be a mapping of names to strings");
                return out;
            }
            for (NodeTuple e : m.getValue()) {
                String k = scalar(e.getKeyNode());
                String v = scalar(e.getValueNode());
                if (k == null || v == null) {
                    problem(e.getKeyNode(), field, "names and values must be plain strings");
                } else if (labelNames && (!Labels.isValidName(k) || RESERVED_LABELS.contains(k))) {
                    problem(e.getKeyNode(), field + "." + k, RESERVED_LABELS.contains(k)
                            ? "is set by Vigil (alertname, severity) and cannot be overridden" : "is not a valid label name");
                } else {
                    out.put(k, v);
                }
            }
            return out;
        }

        Map<String, NodeTuple> object(NodeTuple t, String field, Set<String> allowed) {
            var out = new LinkedHashMap<String, NodeTuple>();
            if (!(t.getValueNode() instanceof MappingNode m)) {
                problem(t.getValueNode(), field, "must be a mapping with " + String.join(", ", sorted(allowed)));
                return out;
            }
            for (NodeTuple e : m.getValue()) {
                String k = scalar(e.getKeyNode());
                if (!allowed.contains(k)) {
                    problem(e.getKeyNode(), field, "unknown field \"" + k + "\"; allowed: " + String.join(", ", sorted(allowed)));
                } else {
                    out.put(k, e);
                }
            }
            return out;
        }
    }
}
