package io.vigil.logs.fingerprint;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * pt-query-digest's query id. In 3.2.1 (checked in /usr/bin/pt-query-digest) {@code make_checksum} is
 * {@code uc md5_hex($fingerprint)}: all 32 hex digits, shown as {@code 0x…} in the profile and as
 * {@code checksum} in the JSON. Older releases (2.x) kept only the last 16 digits, which {@link #shortId}
 * gives for comparison with their reports.
 */
public final class QueryId {

    private QueryId() {
    }

    /** All 32 upper-case hex digits of the MD5 of the fingerprint's UTF-8 bytes, as pt-query-digest 3.2.1. */
    public static String of(String fingerprint) {
        try {
            var md5 = MessageDigest.getInstance("MD5").digest(fingerprint.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().withUpperCase().formatHex(md5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    /** The last 16 digits, as pt-query-digest 2.x printed them. */
    public static String shortId(String fingerprint) {
        return of(fingerprint).substring(16);
    }
}
