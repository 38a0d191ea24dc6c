-- Questions the catalog could not answer, and the outbox every notification goes through.

CREATE TABLE questions (
    id          INTEGER PRIMARY KEY,
    channel     TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    chat_id     TEXT NOT NULL,
    text        TEXT NOT NULL,
    locale      TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    sent_at     TEXT                       -- when the citizen chose to send it to officials
);

CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    channel     TEXT NOT NULL,             -- which adapter delivers it
    chat_id     TEXT NOT NULL,
    text        TEXT NOT NULL,             -- the reply subset of HTML (bot.dialog.reply)
    buttons     TEXT NOT NULL DEFAULT '[]',-- JSON rows of {label, action, url}
    dedupe_key  TEXT UNIQUE,               -- one message per (event, recipient), ever
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    not_before  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    sent_at     TEXT,
    failed_at   TEXT,                      -- given up (blocked, chat gone, too many tries)
    last_error  TEXT
);
CREATE INDEX outbox_due ON outbox(not_before) WHERE sent_at IS NULL AND failed_at IS NULL;
