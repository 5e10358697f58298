package io.vigil.notifier;

/** What a channel's provider says about an attempt whose outcome the outbox lost. */
public record Recovery(Outcome outcome, String providerId) {

    public enum Outcome {
        /** The provider has it: record it as sent, do not send again. */
        DELIVERED,
        /** The provider has no trace of it: the process died before the call; send now. */
        NOT_DELIVERED,
        /** No way to tell. */
        UNKNOWN
    }

    public static final Recovery UNKNOWN = new Recovery(Outcome.UNKNOWN, null);
    public static final Recovery NOT_DELIVERED = new Recovery(Outcome.NOT_DELIVERED, null);

    public static Recovery delivered(String providerId) {
        return new Recovery(Outcome.DELIVERED, providerId);
    }
}
