package io.vigil.model;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Encrypts target credentials at rest and on Kafka with AES-256-GCM. Each value gets a fresh
 * random 96-bit nonce, stored in front of the ciphertext. The target id is bound in as
 * associated data, so an encrypted password copied onto another target does not decrypt.
 */
public final class SecretCipher {

    /** Where the key comes from, for error messages. */
    public static final String KEY_CONFIG = "vigil.secrets.key";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private SecretCipher(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** @throws IllegalArgumentException when the text is not base64 of exactly 32 bytes (the message never shows the text) */
    public static SecretCipher fromBase64(String base64Key) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64Key.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KEY_CONFIG + " is not valid base64");
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException(KEY_CONFIG + " must be base64 of 32 bytes (AES-256), got " + raw.length + " bytes");
        }
        return new SecretCipher(raw);
    }

    /** A new random key, base64, as {@code vigil.secrets.key} takes it. */
    public static String newBase64Key() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    /** nonce (12 bytes) followed by ciphertext and tag. */
    public byte[] encrypt(String targetId, Secret secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(targetId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret.reveal().getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            // Names the target only: the exception must not carry anything derived from the secret.
            throw new IllegalStateException("target " + targetId + ": cannot encrypt the password (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** @throws DecryptionException naming the target when the key is wrong or the bytes were altered */
    public Secret decrypt(String targetId, byte[] sealed) {
        if (sealed == null || sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new DecryptionException("target " + targetId + ": encrypted password is truncated");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(targetId.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
            return Secret.of(new String(plain, StandardCharsets.UTF_8));
        } catch (AEADBadTagException e) {
            throw new DecryptionException("target " + targetId + ": cannot decrypt the password: wrong "
                    + KEY_CONFIG + " or the stored value was altered");
        } catch (GeneralSecurityException e) {
            throw new DecryptionException("target " + targetId + ": cannot decrypt the password (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return "SecretCipher[AES-256-GCM, key ******]";
    }

    /** The stored password cannot be read with this key. */
    public static final class DecryptionException extends RuntimeException {
        public DecryptionException(String message) {
            super(message);
        }
    }
}
