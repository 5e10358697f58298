package io.vigil.notifier.routing;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The routing in force: the routing file when one is configured (re-read when it changes; a bad edit
 * is logged with every problem and the last good routing stays), else the defaults. A file that is
 * bad at start-up stops the start: a notifier that silently routes nowhere is worse than none.
 */
public final class RoutingSource implements Supplier<RoutingConfig> {

    private static final Logger LOG = Logger.getLogger(RoutingSource.class);

    private final Optional<Path> file;
    private final Set<String> receivers;
    private volatile RoutingConfig current;
    private volatile List<String> problems = List.of();
    private FileTime loadedVersion;

    public RoutingSource(Optional<Path> file, Set<String> receivers) {
        this.file = file;
        this.receivers = Set.copyOf(receivers);
        if (file.isEmpty()) {
            current = RoutingConfig.defaults(receivers);
        } else {
            current = load(file.get());
            loadedVersion = modified(file.get());
        }
    }

    @Override
    public RoutingConfig get() {
        return current;
    }

    /** Re-reads the file when it changed since the last look; called by a timer. */
    public synchronized void refresh() {
        if (file.isEmpty()) {
            return;
        }
        FileTime version = modified(file.get());
        if (version == null || version.equals(loadedVersion)) {
            return;
        }
        loadedVersion = version;
        try {
            current = load(file.get());
            problems = List.of();
            LOG.infof("notifier: routing reloaded from %s", file.get());
        } catch (RoutingConfigException e) {
            problems = e.problems();
            LOG.errorf("notifier: routing file %s not applied, the previous routing stays: %s", file.get(), e.getMessage());
        } catch (IllegalStateException e) {
            problems = List.of(e.getMessage());
            LOG.errorf("notifier: %s; the previous routing stays", e.getMessage());
        }
    }

    /** Problems of the last reload that was refused; empty when the file in force is the file on disk. */
    public List<String> problems() {
        return problems;
    }

    private RoutingConfig load(Path path) {
        try {
            return RoutingConfigParser.parse(path.toString(), Files.readString(path, StandardCharsets.UTF_8), receivers);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the routing file " + path + ": " + e.getMessage(), e);
        }
    }

    private static FileTime modified(Path path) {
        try {
            return Files.getLastModifiedTime(path);
        } catch (IOException e) {
            return null;
        }
    }
}
