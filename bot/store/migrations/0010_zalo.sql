-- The Zalo OA channel: its token pairs, the webhook events already handled, the users'
-- interaction window, structured ZNS data on outbox rows, and photos kept as links.

-- Every pair ever obtained; the newest row wins. A refresh token works once, so a new pair
-- is inserted in one transaction before anything uses it.
CREATE TABLE zalo_tokens (
    id              INTEGER PRIMARY KEY,
    access_token    TEXT NOT NULL,
    refresh_token   TEXT NOT NULL,
    expires_at      TEXT NOT NULL,                  -- the access token's, from expires_in
    source          TEXT NOT NULL CHECK (source IN ('settings', 'refresh')),
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);

-- Zalo delivers at least once: an event is handled once by its key (message.msg_id).
CREATE TABLE zalo_events (
    event_key       TEXT PRIMARY KEY,
    event_name      TEXT NOT NULL,
    received_at     TEXT NOT NULL
);

-- Citizens on the OA: the 7-day window runs from last_interaction_at.
CREATE TABLE zalo_users (
    user_id             TEXT PRIMARY KEY,           -- scoped to the OA (strings of digits)
    user_id_by_app      TEXT,
    following           INTEGER,                    -- 1 follows, 0 unfollowed, NULL unknown
    last_interaction_at TEXT,
    actions             TEXT NOT NULL DEFAULT '[]', -- button actions recently sent to the user
    choices             TEXT NOT NULL DEFAULT '[]'  -- actions of the last numbered choices
);

-- Template data of a notification, for ZNS outside the window: {"kind", "params", "tracking_id"}.
ALTER TABLE outbox ADD COLUMN zns TEXT;

-- A photo may be a link (Zalo hands out image URLs, not file ids): kind 'url'.
CREATE TABLE feedback_attachments_new (
    id              INTEGER PRIMARY KEY,
    feedback_id     INTEGER NOT NULL REFERENCES feedback(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('photo', 'location', 'url')),
    file_id         TEXT,                           -- the Telegram file id, or the URL
    lat             REAL,
    lon             REAL,
    size            INTEGER,
    added_at        TEXT NOT NULL,
    CHECK ((kind IN ('photo', 'url') AND file_id IS NOT NULL)
           OR (kind = 'location' AND lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180))
);
INSERT INTO feedback_attachments_new SELECT * FROM feedback_attachments;
DROP TABLE feedback_attachments;
ALTER TABLE feedback_attachments_new RENAME TO feedback_attachments;
CREATE INDEX feedback_attachments_ticket ON feedback_attachments(feedback_id);
