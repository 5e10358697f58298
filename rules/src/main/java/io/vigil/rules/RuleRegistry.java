package io.vigil.rules;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Where rules come from, merged: the built-in default pack, rule files (a file or a directory of
 * {@code *.yaml}/{@code *.yml}, re-read when they change), and rules saved through the API. A rule
 * in a file replaces a default rule of the same name (that is how a default is tuned); an API rule
 * may not take a name a file or the pack uses. A source that stops parsing keeps its last good
 * rules and reports why, so a bad edit never unloads what was working.
 */
public final class RuleRegistry {

    private static final Logger LOG = Logger.getLogger(RuleRegistry.class);
    public static final String DEFAULT_PACK = "io/vigil/rules/default-rules.yaml";

    private final List<Path> paths;
    private final boolean defaults;
    private final RuleRepository repository;
    private final Map<String, List<CompiledRule>> bySource = new LinkedHashMap<>();
    private final Map<Path, FileTime> seen = new HashMap<>();
    private final Map<String, List<String>> problems = new LinkedHashMap<>();
    private long repositoryVersion = -1;
    private long version;
    private volatile RuleSetSnapshot snapshot = new RuleSetSnapshot(0, List.of());

    public RuleRegistry(List<Path> paths, boolean defaults, RuleRepository repository) {
        this.paths = List.copyOf(paths);
        this.defaults = defaults;
        this.repository = repository;
    }

    public RuleSetSnapshot snapshot() {
        return snapshot;
    }

    /** Problems of the sources that failed to load on their last change, by source. */
    public synchronized Map<String, List<String>> problems() {
        return Map.copyOf(problems);
    }

    /** Re-reads what changed; cheap when nothing did. */
    public synchronized void refresh() {
        boolean changed = false;
        if (defaults && !bySource.containsKey("builtin")) {
            bySource.put("builtin", loadDefaults());
            changed = true;
        }
        changed |= refreshFiles();
        changed |= refreshRepository();
        if (changed) {
            version++;
            snapshot = new RuleSetSnapshot(version, merge());
        }
    }

    private static List<CompiledRule> loadDefaults() {
        try (InputStream in = RuleRegistry.class.getClassLoader().getResourceAsStream(DEFAULT_PACK)) {
            if (in == null) {
                throw new IllegalStateException("the default rule pack " + DEFAULT_PACK + " is missing from the build");
            }
            return RuleSetParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "builtin:" + DEFAULT_PACK);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the default rule pack", e);
        }
    }

    private boolean refreshFiles() {
        var current = new LinkedHashMap<Path, FileTime>();
        for (Path p : paths) {
            try {
                if (Files.isDirectory(p)) {
                    try (Stream<Path> s = Files.list(p)) {
                        for (Path f : s.sorted().toList()) {
                            String n = f.getFileName().toString();
                            if ((n.endsWith(".yaml") || n.endsWith(".yml")) && Files.isRegularFile(f)) {
                                current.put(f, Files.getLastModifiedTime(f));
                            }
                        }
                    }
                } else {
                    current.put(p, Files.getLastModifiedTime(p));
                }
            } catch (IOException e) {
                report("file:" + p, List.of(p + ": cannot read: " + e.getMessage()));
            }
        }
        boolean changed = false;
        for (Path gone : new ArrayList<>(seen.keySet())) {
            if (!current.containsKey(gone)) {
                seen.remove(gone);
                bySource.remove("file:" + gone);
                problems.remove("file:" + gone);
                LOG.infof("rules: %s removed; its rules are unloaded", gone);
                changed = true;
            }
        }
        for (var e : current.entrySet()) {
            if (Objects.equals(seen.get(e.getKey()), e.getValue())) {
                continue;
            }
            seen.put(e.getKey(), e.getValue());
            String source = "file:" + e.getKey();
            try {
                var rules = RuleSetParser.parse(Files.readString(e.getKey()), e.getKey().toString());
                bySource.put(source, rules);
                problems.remove(source);
                LOG.infof("rules: loaded %d rules from %s", rules.size(), e.getKey());
                changed = true;
            } catch (RuleException ex) {
                report(source, ex.problems());
            } catch (IOException ex) {
                report(source, List.of(e.getKey() + ": cannot read: " + ex.getMessage()));
            }
        }
        return changed;
    }

    private boolean refreshRepository() {
        if (repository == null) {
            return false;
        }
        try {
            long v = repository.version();
            if (v == repositoryVersion) {
                return false;
            }
            var rules = new ArrayList<CompiledRule>();
            for (RuleRepository.StoredRule r : repository.all()) {
                try {
                    rules.add(RuleSetParser.parseRule(r.definition(), "api:" + r.name()));
                } catch (RuleException ex) {
                    report("api:" + r.name(), ex.problems()); // validated on save; only a newer Vigil could refuse it
                }
            }
            repositoryVersion = v;
            bySource.put("api", rules);
            return true;
        } catch (Exception e) {
            if (!problems.containsKey("api")) {
                LOG.warnf("rules: cannot read API rules from PostgreSQL, keeping the last ones: %s", e.getMessage());
            }
            problems.put("api", List.of("cannot read vigil_rules: " + e.getMessage()));
            return false;
        }
    }

    private void report(String source, List<String> list) {
        problems.put(source, list);
        LOG.errorf("rules: %s not loaded, its previous rules stay in force:%n  %s", source, String.join("\n  ", list));
    }

    private List<CompiledRule> merge() {
        var byName = new LinkedHashMap<String, CompiledRule>();
        List<CompiledRule> builtin = bySource.getOrDefault("builtin", List.of());
        builtin.forEach(r -> byName.put(r.name(), r));
        bySource.forEach((source, rules) -> {
            if (source.startsWith("file:")) {
                rules.forEach(r -> byName.put(r.name(), r));
            }
        });
        for (CompiledRule r : bySource.getOrDefault("api", List.of())) {
            CompiledRule existing = byName.get(r.name());
            if (existing != null) {
                LOG.warnf("rules: API rule %s is shadowed by %s", r.name(), existing.spec().source());
            } else {
                byName.put(r.name(), r);
            }
        }
        return List.copyOf(byName.values());
    }

    /** The rule of that name from the pack or a file, if any: those are edited in their files, not through the API. */
    public CompiledRule fromFiles(String name) {
        for (CompiledRule r : snapshot.rules()) {
            if (r.name().equals(name) && !r.spec().source().startsWith("api:")) {
                return r;
            }
        }
        return null;
    }
}
