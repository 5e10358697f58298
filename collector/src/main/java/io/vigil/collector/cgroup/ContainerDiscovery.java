package io.vigil.collector.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds containers in a cgroup tree by the names runtimes give their groups: {@code <64 hex>} under
 * Docker's or the kubelet's cgroupfs driver, {@code docker-<id>.scope}, {@code cri-containerd-<id>.scope},
 * {@code crio-<id>.scope} and {@code libpod-<id>.scope} under systemd. A pod directory above a
 * container ({@code pod<uid>}, {@code kubepods-…-pod<uid>.slice}) gives its UID. Works on cgroup v1
 * (one hierarchy per controller, or combined ones such as {@code cpu,cpuacct}), v2, and hybrids.
 */
public final class ContainerDiscovery {

    /** The v1 controllers the scraper reads. */
    static final List<String> CONTROLLERS = List.of("cpu", "cpuacct", "memory", "blkio");
    private static final int MAX_DEPTH = 10;
    private static final Pattern BARE_ID = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SCOPE = Pattern.compile("(docker|cri-containerd|crio|libpod)-([0-9a-f]{64})\\.scope");
    private static final Pattern POD = Pattern.compile("pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})(?:\\.slice)?");
    private static final Pattern SLICE_POD = Pattern.compile("kubepods(?:-[a-z]+)*-pod([0-9a-f_]{36})\\.slice");

    private ContainerDiscovery() {
    }

    /** The hierarchies under {@code root}: v1 controller name → its mount, and {@link Container#V2} → the v2 root. */
    public static Map<String, Path> hierarchies(Path root) throws IOException {
        var out = new LinkedHashMap<String, Path>();
        if (Files.exists(root.resolve("cgroup.controllers"))) {
            out.put(Container.V2, root); // pure v2
            return out;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                String name = d.getFileName().toString();
                if (name.equals("unified") && Files.exists(d.resolve("cgroup.controllers"))) {
                    out.put(Container.V2, d);
                    continue;
                }
                for (String controller : name.split(",")) {
                    if (CONTROLLERS.contains(controller)) {
                        out.putIfAbsent(controller, d);
                    }
                }
            }
        }
        return out;
    }

    /** Every container in the tree, each with its directory in every hierarchy that has it. */
    public static List<Container> discover(Path root) throws IOException {
        Map<String, Path> hierarchies = hierarchies(root);
        var found = new LinkedHashMap<String, Found>();
        for (var h : hierarchies.entrySet()) {
            try (Stream<Path> walk = Files.walk(h.getValue(), MAX_DEPTH)) {
                for (Path dir : walk.filter(Files::isDirectory).toList()) {
                    identify(dir).ifPresent(f -> found.computeIfAbsent(f.id, k -> f).dirs.put(h.getKey(), dir));
                }
            } catch (java.io.UncheckedIOException e) {
                // A container that ended mid-walk takes its directories with it; the next scrape sees the rest.
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException)) {
                    throw e.getCause();
                }
            }
        }
        var out = new ArrayList<Container>(found.size());
        found.values().forEach(f -> out.add(new Container(f.id, f.runtime, f.podUid, f.dirs)));
        return out;
    }

    private static final class Found {
        final String id;
        final String runtime;
        final String podUid;
        final Map<String, Path> dirs = new HashMap<>();

        Found(String id, String runtime, String podUid) {
            this.id = id;
            this.runtime = runtime;
            this.podUid = podUid;
        }
    }

    private static java.util.Optional<Found> identify(Path dir) {
        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
        String parent = dir.getParent() == null || dir.getParent().getFileName() == null ? "" : dir.getParent().getFileName().toString();
        String podUid = podUid(parent);
        Matcher scope = SCOPE.matcher(name);
        if (scope.matches()) {
            String runtime = switch (scope.group(1)) {
                case "cri-containerd" -> "containerd";
                case "libpod" -> "podman";
                default -> scope.group(1);
            };
            return java.util.Optional.of(new Found(scope.group(2), runtime, podUid));
        }
        if (BARE_ID.matcher(name).matches()) {
            String runtime = parent.equals("docker") ? "docker" : podUid != null ? "kubernetes" : "container";
            return java.util.Optional.of(new Found(name, runtime, podUid));
        }
        return java.util.Optional.empty();
    }

    private static String podUid(String dirName) {
        Matcher slice = SLICE_POD.matcher(dirName);
        if (slice.matches()) {
            return slice.group(1).replace('_', '-');
        }
        Matcher pod = POD.matcher(dirName);
        return pod.matches() ? pod.group(1).replace('_', '-') : null;
    }
}
