package io.vigil.collector.logs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Which file a path names: device and inode. A rotation by rename gives the path a new identity while the
 * old file keeps its own, so a checkpoint that names the identity can find the rotated file again.
 */
public record FileIdentity(long device, long inode) {

    /** The identity of the file at {@code path}, or null when there is none. */
    public static FileIdentity of(Path path) throws IOException {
        try {
            Map<String, Object> attributes = Files.readAttributes(path, "unix:dev,ino");
            return new FileIdentity((Long) attributes.get("dev"), (Long) attributes.get("ino"));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** {@code <device>:<inode>}, the form {@link io.vigil.logs.wire.LogBatch#fileId()} carries. */
    public static FileIdentity parse(String id) {
        int colon = id.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not a file id (<device>:<inode>): '" + id + "'");
        }
        return new FileIdentity(Long.parseLong(id.substring(0, colon)), Long.parseLong(id.substring(colon + 1)));
    }

    @Override
    public String toString() {
        return device + ":" + inode;
    }
}
