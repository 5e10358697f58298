package io.vigil.logs.index;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Document ids that name an event for good: a hash of where it was read. A file event is named by its
 * source key, file identity and byte offset (a rotated file's successor has another identity, so its
 * offsets never collide); a statement digest by its source, schema, digest and the end of its interval.
 * 128 bits of SHA-256: no collision in any fleet's lifetime, and a fixed length whatever the path.
 */
public final class DocumentIds {

    private DocumentIds() {
    }

    public static String fileEvent(LogIndex kind, String sourceKey, String fileId, long offset) {
        return hash(kind.suffix() + '\u0000' + sourceKey + '\u0000' + fileId + '\u0000' + offset);
    }

    public static String digest(String sourceKey, String schema, String digest, java.time.Instant intervalEnd) {
        return hash(LogIndex.DIGESTS.suffix() + '\u0000' + sourceKey + '\u0000' + schema + '\u0000' + digest + '\u0000' + intervalEnd);
    }

    /** One digest per thread: looking SHA-256 up among the providers for every document costs more than hashing. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    });
    private static final HexFormat HEX = HexFormat.of();

    private static String hash(String key) {
        byte[] sha = SHA_256.get().digest(key.getBytes(StandardCharsets.UTF_8)); // digest() resets it for the next
        return HEX.formatHex(sha, 0, 16);
    }
}
