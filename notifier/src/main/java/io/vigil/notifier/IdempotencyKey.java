package io.vigil.notifier;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The outbox's deduplication key: one notification of a group, to a receiver, at a step (the
 * caller's name for the occasion: "firing", an escalation level, a repeat time…). Group keys can be
 * long label sets, so they enter as a SHA-256 prefix; receiver and step stay readable.
 */
public final class IdempotencyKey {

    private IdempotencyKey() {
    }

    public static String of(String groupKey, String receiver, String step) {
        return receiver + "/" + step + "/" + sha256(groupKey).substring(0, 32);
    }

    /** The key of the row that takes over when {@code key}'s channel gave up. */
    static String failover(String key, ChannelKind next) {
        return key + "/failover-" + next.id();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
