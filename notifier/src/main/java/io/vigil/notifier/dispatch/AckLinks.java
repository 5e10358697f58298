package io.vigil.notifier.dispatch;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.OptionalLong;

/**
 * Signed acknowledgement links: {@code <external-url>/ack/<escalation>.<expiry>.<signature>}, an
 * HMAC-SHA256 over the escalation id and expiry with a key that every instance shares through the
 * database (created once, never configured, never shown). A link acknowledges one escalation and
 * nothing else, and stops working after {@link #VALIDITY}.
 */
public final class AckLinks {

    public static final Duration VALIDITY = Duration.ofDays(7);
    public static final String PATH = "/ack/";

    private final byte[] key;
    private final String externalUrl;

    private AckLinks(byte[] key, String externalUrl) {
        this.key = key;
        this.externalUrl = externalUrl.endsWith("/") ? externalUrl.substring(0, externalUrl.length() - 1) : externalUrl;
    }

    /** Loads the shared key, creating it if this is the first instance ever. */
    public static AckLinks load(DataSource dataSource, String externalUrl) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        try (Connection c = dataSource.getConnection()) {
            try (var ps = c.prepareStatement("INSERT INTO notifier_settings (name, value) VALUES ('ack_key', ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, Base64.getEncoder().encodeToString(fresh));
                ps.executeUpdate();
            }
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT value FROM notifier_settings WHERE name = 'ack_key'")) {
                rs.next();
                return new AckLinks(Base64.getDecoder().decode(rs.getString(1)), externalUrl);
            }
        } catch (SQLException e) {
            throw new DispatchException("cannot load the acknowledgement link key: " + e.getMessage(), e);
        }
    }

    public String url(long escalationId, Instant now) {
        return externalUrl + "/api/v1" + PATH + token(escalationId, now.plus(VALIDITY).getEpochSecond());
    }

    String token(long escalationId, long expiresEpochSecond) {
        return escalationId + "." + expiresEpochSecond + "." + signature(escalationId, expiresEpochSecond);
    }

    /** The escalation a token acknowledges; empty when it is malformed, forged or expired. */
    public OptionalLong verify(String token, Instant now) {
        String[] parts = token == null ? new String[0] : token.split("\\.");
        if (parts.length != 3) {
            return OptionalLong.empty();
        }
        long id;
        long expires;
        try {
            id = Long.parseLong(parts[0]);
            expires = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
        boolean genuine = MessageDigest.isEqual(signature(id, expires).getBytes(StandardCharsets.US_ASCII),
                parts[2].getBytes(StandardCharsets.US_ASCII));
        if (!genuine || now.getEpochSecond() > expires) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(id);
    }

    private String signature(long id, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] sig = mac.doFinal(("vigil-ack:" + id + ":" + expires).getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sig).substring(0, 22);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
