-- PostgreSQL twin of migrations/0001_catalog_users.sql (same version; see migrations_pg/__init__.py).
-- The procedure catalog and the people who talk to the bot.

CREATE TABLE procedures (
    code        TEXT PRIMARY KEY,          -- normalised full code, e.g. 1.001193 or 1.005461.000.00.00.H36
    code8       TEXT NOT NULL,             -- first 8 characters, what citizens and links match on
    name        TEXT NOT NULL,
    levels      TEXT NOT NULL DEFAULT '',  -- comma-separated: xa, tinh, bo
    field       TEXT NOT NULL DEFAULT '',
    agency      TEXT NOT NULL DEFAULT '',
    online_level TEXT,                     -- toan_trinh | mot_phan | NULL
    source      TEXT NOT NULL DEFAULT '',  -- national | csv | default
    data        TEXT NOT NULL,             -- the whole parsed procedure as JSON
    content_hash TEXT NOT NULL,
    updated_at  TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
);
CREATE INDEX procedures_code8 ON procedures(code8);

CREATE TABLE users (
    channel     TEXT NOT NULL,             -- telegram | terminal | zalo ...
    user_id     TEXT NOT NULL,
    locale      TEXT,
    created_at  TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
    last_seen_at TEXT,
    PRIMARY KEY (channel, user_id)
);
