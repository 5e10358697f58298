package io.vigil.model.codec;

/** A record that cannot be decoded; the message says what was wrong and at which byte. */
public class CodecException extends RuntimeException {
    public CodecException(String message) {
        super(message);
    }
}
