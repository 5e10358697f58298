package io.vigil.notifier;

import javax.sql.DataSource;

/**
 * Creates the outbox table. Idempotent, and serialised with an advisory lock because two instances
 * starting at once would otherwise race in CREATE TABLE IF NOT EXISTS (a unique violation on pg_type).
 */
public final class OutboxSchema {

    /** Arbitrary, fixed: "vigil-notifier-outbox". */
    private static final long LOCK_ID = 0x5616_0b0c_0000_0001L;

    private static final String[] DDL = {
        """
        CREATE TABLE IF NOT EXISTS notification_outbox (
            id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            idempotency_key text        NOT NULL UNIQUE,
            channel         text        NOT NULL,
            receiver        text        NOT NULL,
            payload         jsonb       NOT NULL,
            status          text        NOT NULL DEFAULT 'pending'
                                        CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
            attempts        integer     NOT NULL DEFAULT 0,
            next_attempt_at timestamptz NOT NULL DEFAULT now(),
            lease_token     uuid,
            sending_since   timestamptz,
            last_error      text,
            provider_id     text,
            note            text,
            created_at      timestamptz NOT NULL DEFAULT now(),
            updated_at      timestamptz NOT NULL DEFAULT now()
        )""",
        // For a sending row next_attempt_at is the lease's end: one index finds both due and expired rows.
        "CREATE INDEX IF NOT EXISTS notification_outbox_due ON notification_outbox (next_attempt_at)"
                + " WHERE status IN ('pending', 'sending')",
        "CREATE INDEX IF NOT EXISTS notification_outbox_recent ON notification_outbox (updated_at DESC)",
        "COMMENT ON COLUMN notification_outbox.note IS 'what is known about an uncertain delivery (lease expired mid-send)'"
    };

    private final DataSource dataSource;

    public OutboxSchema(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void ensure() {
        SchemaDdl.apply(dataSource, LOCK_ID, "the notification_outbox table", DDL);
    }
}
