package io.vigil.collector.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.stream.Stream;

/**
 * Follows the file a path names, across rotations. The file stays open, so after a rotation by rename (or a
 * delete) it is read to its end before the new file at the path is opened at offset 0. A file that shrinks
 * below the read position was truncated in place (copytruncate): reading starts again at 0.
 *
 * <p>The position moves only when the caller says a part is shipped ({@link #advanceTo}), so what is read
 * but not yet acknowledged is simply read again.
 */
final class FileTailer implements AutoCloseable {

    private final Path path;
    private final Clock wall;
    private Checkpoint resumeFrom;
    private FileChannel channel;
    private FileIdentity identity;
    private long position;
    /** The path names another file now, or none: this one will not grow any more. */
    private boolean detached;
    private static final int SMALL_BUFFER = 64 << 10;
    private byte[] buffer = new byte[SMALL_BUFFER];

    /**
     * @param resumeFrom the last checkpoint of this path, or null to start at the beginning of the file
     * @param wall       the clock file modification times are compared with
     */
    FileTailer(Path path, Checkpoint resumeFrom, Clock wall) {
        this.path = path;
        this.resumeFrom = resumeFrom;
        this.wall = wall;
    }

    /** Bytes available after the position, up to {@code maxBytes}; {@link Window#complete()} ends after the last newline. */
    Window read(int maxBytes) throws IOException {
        if (channel == null && !open()) {
            return Window.ABSENT;
        }
        if (!detached && !identity.equals(FileIdentity.of(path))) {
            detached = true;
        }
        long size = channel.size();
        if (size < position) {
            if (!detached) {
                return new Window(identity.toString(), position, buffer, 0, 0, false, false, true, 0);
            }
            // A rotated-away file that shrank is no longer ours to follow.
            size = position;
        }
        int n = (int) Math.min(size - position, maxBytes);
        if (buffer.length < n) {
            buffer = new byte[Math.max(n, buffer.length * 2)];
        } else if (buffer.length > SMALL_BUFFER * 16 && n <= SMALL_BUFFER) {
            buffer = new byte[SMALL_BUFFER]; // a huge entry has passed: give its buffer back
        }
        var into = ByteBuffer.wrap(buffer, 0, n);
        while (into.hasRemaining()) {
            if (channel.read(into, position + into.position()) < 0) {
                break;
            }
        }
        n = into.position();
        int complete = n;
        while (complete > 0 && buffer[complete - 1] != '\n') {
            complete--;
        }
        boolean atEnd = position + n >= size;
        return new Window(identity.toString(), position, buffer, complete, n, atEnd, detached, false,
                atEnd && !detached ? unchangedNanos() : 0);
    }

    /** How long the file the path names has not been written, by its modification time; 0 if it is in the future. */
    private long unchangedNanos() throws IOException {
        try {
            long millis = wall.millis() - Files.getLastModifiedTime(path).toMillis();
            return Math.max(0, millis) * 1_000_000;
        } catch (NoSuchFileException e) {
            return 0; // gone since: the next read finds out
        }
    }

    /** Everything before {@code offset} is shipped. */
    void advanceTo(long offset) {
        position = offset;
    }

    /** The file was truncated in place: read it again from the beginning. */
    void restart() {
        position = 0;
    }

    long position() {
        return position;
    }

    String fileId() {
        return identity == null ? null : identity.toString();
    }

    /**
     * After a rotated-away file is shipped to its end, moves on to the file the path names now (from offset
     * 0), if any. Returns whether it moved. The caller waits until the old file stopped growing: a server
     * writes to the renamed file until it is told to reopen its log (FLUSH SLOW LOGS), often a moment later.
     */
    boolean moveOn() throws IOException {
        if (channel == null || !detached || position < channel.size()) {
            return false;
        }
        closeChannel();
        resumeFrom = null;
        open();
        return true;
    }

    private boolean open() throws IOException {
        FileIdentity current = FileIdentity.of(path);
        Checkpoint from = resumeFrom;
        if (from != null && current != null && !from.fileId().equals(current.toString())) {
            // Rotated while we were not running: finish the old file first, if it is still beside the new one.
            Path old = findSibling(FileIdentity.parse(from.fileId()));
            if (old != null && openAt(old, from.offset())) {
                detached = true;
                return true;
            }
            from = null;
        }
        if (current == null || !openAt(path, from == null ? 0 : from.offset())) {
            return false;
        }
        detached = false;
        return true;
    }

    private boolean openAt(Path file, long offset) throws IOException {
        FileChannel c;
        try {
            c = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return false;
        }
        FileIdentity id = FileIdentity.of(file);
        if (id == null) {
            c.close();
            return false;
        }
        channel = c;
        identity = id;
        // A checkpoint beyond the end: the file was truncated while we were not running.
        position = offset <= c.size() ? offset : 0;
        resumeFrom = null;
        return true;
    }

    private Path findSibling(FileIdentity wanted) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p) && wanted.equals(FileIdentity.of(p))) {
                    return p;
                }
            }
        }
        return null;
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    @Override
    public void close() throws IOException {
        closeChannel();
    }

    /**
     * What a read found.
     *
     * @param fileId    the file read
     * @param start     its offset of {@code bytes[0]}
     * @param complete  bytes up to and including the last newline
     * @param length    bytes read
     * @param atEnd     nothing more in the file right now
     * @param detached  the path names another file now, or none: this one was rotated away or deleted
     * @param truncated the file is shorter than the position: it was truncated in place
     * @param unchangedNanos at the end of a file the path still names, how long it had not been written when read
     *                       (its modification time); else 0
     */
    record Window(String fileId, long start, byte[] bytes, int complete, int length, boolean atEnd, boolean detached,
                  boolean truncated, long unchangedNanos) {

        static final Window ABSENT = new Window(null, 0, new byte[0], 0, 0, true, false, false, 0);

        boolean absent() {
            return fileId == null;
        }

        /** Bytes after the last newline: a line still being written. */
        boolean partialLine() {
            return length > complete;
        }

        long end() {
            return start + length;
        }
    }
}
