package io.vigil.collector.cgroup;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * One container found in the cgroup tree: its id, what runs it, its pod, and its directory in each
 * hierarchy that has it (v1 controllers by name, v2 under {@link #V2}).
 */
public record Container(String id, String runtime, String podUid, Map<String, Path> dirs) {

    public static final String V2 = "unified";

    public Container {
        Objects.requireNonNull(id, "id");
        dirs = Map.copyOf(dirs);
    }

    public String shortId() {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    Path dir(String controller) {
        return dirs.get(controller);
    }
}
