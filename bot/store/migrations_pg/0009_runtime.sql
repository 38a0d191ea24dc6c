-- PostgreSQL twin of migrations/0009_runtime.sql (same version; see migrations_pg/__init__.py).
-- The runtime: one runner holds the lease and runs the jobs and the outbox drainers;
-- the outbox learns to hold a message for a chat that cannot be reached now, to put
-- urgent messages first, and digests remember which dossier was reminded for which date.

CREATE TABLE runner_lease (
    id            BIGINT PRIMARY KEY CHECK (id = 1),  -- one row: one runner per store
    holder        TEXT NOT NULL,                       -- random id of the running process
    host          TEXT NOT NULL,
    pid           BIGINT NOT NULL,
    acquired_at   TEXT NOT NULL,
    heartbeat_at  TEXT NOT NULL,
    expires_at    TEXT NOT NULL                        -- free for another runner after this
);

-- Held: the chat cannot be reached until its user writes again (Zalo's 7-day window).
ALTER TABLE outbox ADD COLUMN held_at TEXT;
-- Lower goes first: 0 urgent alerts, 10 replies to a citizen, 50 normal, 90 bulk.
ALTER TABLE outbox ADD COLUMN priority BIGINT NOT NULL DEFAULT 50;
CREATE INDEX outbox_chat_pending ON outbox(channel, chat_id, id)
    WHERE sent_at IS NULL AND failed_at IS NULL;
-- The drainer's next messages in order (urgent first) without sorting a large backlog.
CREATE INDEX outbox_next ON outbox(channel, priority, id)
    WHERE sent_at IS NULL AND failed_at IS NULL AND held_at IS NULL;

-- One reminder per dossier and appointment date, even when many go out as one digest.
CREATE TABLE reminders_sent (
    reminder_key  TEXT PRIMARY KEY,                    -- e.g. overdue-reminder:CODE:DUE
    created_at    TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
);
INSERT INTO reminders_sent(reminder_key, created_at)
    SELECT dedupe_key, created_at FROM outbox WHERE dedupe_key LIKE 'overdue-reminder:%';
