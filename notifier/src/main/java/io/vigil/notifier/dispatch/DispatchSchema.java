package io.vigil.notifier.dispatch;

import io.vigil.notifier.SchemaDdl;

import javax.sql.DataSource;

/**
 * The notifier's own tables: the alerts it was told about, the groups they form with their
 * notification clocks, group membership with what each member was last notified as, and silences.
 * Everything that decides "send now or not" lives here, so a restarted or second notifier instance
 * continues where the other stopped.
 */
public final class DispatchSchema {

    /** Arbitrary, fixed: "vigil-notifier-dispatch". */
    private static final long LOCK_ID = 0x5616_0b0c_0000_0002L;

    private static final String[] DDL = {
        """
        CREATE TABLE IF NOT EXISTS notifier_alerts (
            fingerprint text PRIMARY KEY,
            event_id    bigint      NOT NULL,
            rule        text        NOT NULL,
            state       text        NOT NULL,
            severity    text        NOT NULL,
            labels      jsonb       NOT NULL,
            annotations jsonb       NOT NULL,
            value       double precision,
            active_at   timestamptz,
            fired_at    timestamptz,
            resolved_at timestamptz,
            changed_at  timestamptz NOT NULL,
            query       text,
            received_at timestamptz NOT NULL DEFAULT now()
        )""",
        "CREATE INDEX IF NOT EXISTS notifier_alerts_active ON notifier_alerts (state) WHERE state IN ('firing', 'nodata')",
        """
        CREATE TABLE IF NOT EXISTS notifier_groups (
            group_key          text        PRIMARY KEY,
            route_path         text        NOT NULL,
            receivers          text[]      NOT NULL,
            group_labels       jsonb       NOT NULL,
            group_interval_ms  bigint      NOT NULL,
            repeat_interval_ms bigint      NOT NULL,
            send_resolved      boolean     NOT NULL,
            created_at         timestamptz NOT NULL DEFAULT now(),
            next_flush_at      timestamptz,
            last_flush_at      timestamptz,
            last_notified_at   timestamptz,
            notified_digest    text,
            seq                integer     NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX IF NOT EXISTS notifier_groups_due ON notifier_groups (next_flush_at) WHERE next_flush_at IS NOT NULL",
        """
        CREATE TABLE IF NOT EXISTS notifier_group_alerts (
            group_key      text NOT NULL REFERENCES notifier_groups ON DELETE CASCADE,
            fingerprint    text NOT NULL,
            notified_state text,
            PRIMARY KEY (group_key, fingerprint)
        )""",
        "CREATE INDEX IF NOT EXISTS notifier_group_alerts_fp ON notifier_group_alerts (fingerprint)",
        """
        CREATE TABLE IF NOT EXISTS notifier_silences (
            id         uuid        PRIMARY KEY,
            matchers   jsonb       NOT NULL,
            starts_at  timestamptz NOT NULL,
            ends_at    timestamptz NOT NULL,
            created_by text        NOT NULL,
            comment    text        NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            CHECK (ends_at > starts_at)
        )""",
        "CREATE INDEX IF NOT EXISTS notifier_silences_ends ON notifier_silences (ends_at)",
        """
        CREATE TABLE IF NOT EXISTS notifier_escalations (
            id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            group_key  text        NOT NULL,
            policy     text        NOT NULL,
            started_at timestamptz NOT NULL DEFAULT now(),
            cycle      integer     NOT NULL DEFAULT 0,
            level      integer     NOT NULL DEFAULT 0,
            next_at    timestamptz,
            paged_at   timestamptz,
            acked_at   timestamptz,
            acked_by   text,
            ack_via    text,
            ended_at   timestamptz,
            end_reason text
        )""",
        // One open escalation per group: an acknowledged one stays open (and quiet) until the group resolves.
        "CREATE UNIQUE INDEX IF NOT EXISTS notifier_escalations_open ON notifier_escalations (group_key) WHERE ended_at IS NULL",
        "CREATE INDEX IF NOT EXISTS notifier_escalations_due ON notifier_escalations (next_at) WHERE ended_at IS NULL AND acked_at IS NULL",
        "CREATE TABLE IF NOT EXISTS notifier_settings (name text PRIMARY KEY, value text NOT NULL)",
        "COMMENT ON COLUMN notifier_group_alerts.notified_state IS 'firing or resolved as last sent to the receivers; null before the first notification'"
    };

    private final DataSource dataSource;

    public DispatchSchema(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void ensure() {
        SchemaDdl.apply(dataSource, LOCK_ID, "the notifier's dispatch tables", DDL);
    }
}
