namespace Iot.Storage.Events;

/// <summary>One schema change, in each dialect. Versions only ever grow; an applied migration is never edited.</summary>
internal sealed record EventStoreMigration(int Version, string Description, string Postgres, string Sqlite);

/// <summary>The event store's schema history, applied in order by <see cref="SqlEventStore.MigrateAsync"/>.</summary>
internal static class EventStoreMigrations
{
    public static readonly IReadOnlyList<EventStoreMigration> All =
    [
        new(1, "alerts, notifications, delivery attempts, events, silences, notification log",
            Postgres: """
                CREATE TABLE alerts (
                    fingerprint text PRIMARY KEY,
                    namespace text NOT NULL,
                    rule text NOT NULL,
                    device text NOT NULL,
                    room text,
                    status text NOT NULL,
                    labels jsonb NOT NULL,
                    annotations jsonb NOT NULL,
                    value double precision,
                    starts_at timestamptz NOT NULL,
                    ends_at timestamptz,
                    updated_at timestamptz NOT NULL,
                    acknowledged_by text,
                    acknowledged_at timestamptz,
                    acknowledge_comment text);
                CREATE INDEX alerts_status ON alerts (status, starts_at DESC);
                CREATE TABLE notifications (
                    id text PRIMARY KEY,
                    created_at timestamptz NOT NULL,
                    route text NOT NULL,
                    receiver text NOT NULL,
                    receiver_type text NOT NULL,
                    receiver_spec text NOT NULL,
                    group_key text NOT NULL,
                    payload text NOT NULL,
                    status text NOT NULL,
                    attempts integer NOT NULL,
                    next_attempt_at timestamptz NOT NULL,
                    last_error text,
                    completed_at timestamptz);
                CREATE INDEX notifications_pending ON notifications (next_attempt_at) WHERE status = 'pending';
                CREATE TABLE delivery_attempts (
                    notification_id text NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
                    attempt integer NOT NULL,
                    at timestamptz NOT NULL,
                    duration_ms double precision NOT NULL,
                    succeeded boolean NOT NULL,
                    error text,
                    PRIMARY KEY (notification_id, attempt));
                CREATE TABLE events (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    at timestamptz NOT NULL,
                    type text NOT NULL,
                    fingerprint text,
                    rule text,
                    device text,
                    route text,
                    receiver text,
                    notification_id text,
                    message text NOT NULL);
                CREATE INDEX events_at ON events (at);
                CREATE INDEX events_device ON events (device, id);
                CREATE INDEX events_rule ON events (rule, id);
                CREATE INDEX events_notification ON events (notification_id);
                CREATE TABLE silences (
                    id text PRIMARY KEY,
                    matchers jsonb NOT NULL,
                    starts_at timestamptz NOT NULL,
                    ends_at timestamptz NOT NULL,
                    created_by text NOT NULL,
                    comment text NOT NULL,
                    created_at timestamptz NOT NULL);
                CREATE TABLE notification_log (
                    group_key text PRIMARY KEY,
                    route text NOT NULL,
                    firing jsonb NOT NULL,
                    sent_at timestamptz NOT NULL);
                """,
            Sqlite: """
                CREATE TABLE alerts (
                    fingerprint TEXT PRIMARY KEY,
                    namespace TEXT NOT NULL,
                    rule TEXT NOT NULL,
                    device TEXT NOT NULL,
                    room TEXT,
                    status TEXT NOT NULL,
                    labels TEXT NOT NULL,
                    annotations TEXT NOT NULL,
                    value REAL,
                    starts_at INTEGER NOT NULL,
                    ends_at INTEGER,
                    updated_at INTEGER NOT NULL,
                    acknowledged_by TEXT,
                    acknowledged_at INTEGER,
                    acknowledge_comment TEXT);
                CREATE INDEX alerts_status ON alerts (status, starts_at DESC);
                CREATE TABLE notifications (
                    id TEXT PRIMARY KEY,
                    created_at INTEGER NOT NULL,
                    route TEXT NOT NULL,
                    receiver TEXT NOT NULL,
                    receiver_type TEXT NOT NULL,
                    receiver_spec TEXT NOT NULL,
                    group_key TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    status TEXT NOT NULL,
                    attempts INTEGER NOT NULL,
                    next_attempt_at INTEGER NOT NULL,
                    last_error TEXT,
                    completed_at INTEGER);
                CREATE INDEX notifications_pending ON notifications (next_attempt_at) WHERE status = 'pending';
                CREATE TABLE delivery_attempts (
                    notification_id TEXT NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
                    attempt INTEGER NOT NULL,
                    at INTEGER NOT NULL,
                    duration_ms REAL NOT NULL,
                    succeeded INTEGER NOT NULL,
                    error TEXT,
                    PRIMARY KEY (notification_id, attempt));
                CREATE TABLE events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    fingerprint TEXT,
                    rule TEXT,
                    device TEXT,
                    route TEXT,
                    receiver TEXT,
                    notification_id TEXT,
                    message TEXT NOT NULL);
                CREATE INDEX events_at ON events (at);
                CREATE INDEX events_device ON events (device, id);
                CREATE INDEX events_rule ON events (rule, id);
                CREATE INDEX events_notification ON events (notification_id);
                CREATE TABLE silences (
                    id TEXT PRIMARY KEY,
                    matchers TEXT NOT NULL,
                    starts_at INTEGER NOT NULL,
                    ends_at INTEGER NOT NULL,
                    created_by TEXT NOT NULL,
                    comment TEXT NOT NULL,
                    created_at INTEGER NOT NULL);
                CREATE TABLE notification_log (
                    group_key TEXT PRIMARY KEY,
                    route TEXT NOT NULL,
                    firing TEXT NOT NULL,
                    sent_at INTEGER NOT NULL);
                """),
    ];
}
