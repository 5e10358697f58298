package io.vigil.collector.logs;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;

/**
 * Checkpoints on disk, one small file per log source in a directory. A checkpoint is written to a temporary
 * file, forced to disk, renamed over the old one and the directory forced too: after a crash the file holds
 * either the old checkpoint or the new one, never a torn mix.
 */
public final class CheckpointStore {

    private final Path dir;

    public CheckpointStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the shipper's checkpoint directory " + dir, e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** The checkpoint of the source with this key, or null when it has none yet. */
    public Checkpoint load(String key) throws IOException {
        Path file = fileOf(key);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        var p = new Properties();
        p.load(new StringReader(text));
        String fileId = p.getProperty("file");
        String offset = p.getProperty("offset");
        if (fileId == null || offset == null) {
            throw new IOException("checkpoint " + file + " of " + key + " is incomplete (file=" + fileId + ", offset=" + offset + ")");
        }
        try {
            FileIdentity.parse(fileId);
            return new Checkpoint(fileId, Long.parseLong(offset));
        } catch (IllegalArgumentException e) {
            throw new IOException("checkpoint " + file + " of " + key + " is unreadable: " + e.getMessage(), e);
        }
    }

    public void save(String key, Checkpoint checkpoint) throws IOException {
        Path file = fileOf(key);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        // The key (host:path) is kept for the reader of the directory; the file name is only its hash.
        String text = "# " + key.replace('\n', ' ') + "\nfile=" + checkpoint.fileId() + "\noffset=" + checkpoint.offset() + "\n";
        try (var out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            var buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("checkpoint directory " + dir + " does not support atomic renames", e);
        }
        forceDirectory();
    }

    private void forceDirectory() {
        // The rename is durable only once the directory entry is; Linux allows forcing a directory opened for reading.
        try (var d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open a directory; the rename itself already happened.
        }
    }

    private Path fileOf(String key) {
        try {
            var sha = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(sha, 0, 16) + ".checkpoint");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * For a file shipped for the first time, a checkpoint at its current end, so that only what is written
     * from now on is shipped (a server's years of slow log are not replayed). Stored at once: a restart before
     * the first shipment must not go back to the beginning. Does nothing when the source has a checkpoint or the
     * file does not exist yet (a file that appears later is new, and read from its start).
     */
    public void startAtEndIfNew(String key, Path file) throws IOException {
        if (load(key) != null) {
            return;
        }
        FileIdentity identity = FileIdentity.of(file);
        if (identity != null) {
            save(key, new Checkpoint(identity.toString(), Files.size(file)));
        }
    }
}
