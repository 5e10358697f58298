package io.vigil.notifier.dispatch;

import java.time.Instant;

/**
 * One alert group's escalation: paged level by level until acknowledged or resolved.
 *
 * @param level  the next level to page (with {@code cycle}, how many times the policy went round)
 * @param nextAt when that level is paged; null once the policy is exhausted or after an acknowledgement
 */
public record Escalation(long id, String groupKey, String policy, Instant startedAt, int cycle, int level, Instant nextAt,
                         Instant pagedAt, Instant ackedAt, String ackedBy, String ackVia, Instant endedAt, String endReason) {

    public enum State {
        /** Paging: the next level is due at {@code nextAt}. */
        PAGING,
        /** Every level was paged, {@code repeat} times over, and nobody acknowledged. */
        EXHAUSTED,
        ACKNOWLEDGED,
        /** The group resolved (or the policy was removed): nothing more to page. */
        ENDED
    }

    public State state() {
        if (endedAt != null) {
            return State.ENDED;
        }
        if (ackedAt != null) {
            return State.ACKNOWLEDGED;
        }
        return nextAt == null ? State.EXHAUSTED : State.PAGING;
    }
}
