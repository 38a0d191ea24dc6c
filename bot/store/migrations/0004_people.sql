-- Citizens' verified contacts, consents and subscriptions; the officials' roster.

CREATE TABLE contacts (
    channel     TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    phone       TEXT NOT NULL,             -- normalised 0xxxxxxxxx, shared by the user themself
    verified_at TEXT NOT NULL,
    PRIMARY KEY (channel, user_id)
);
CREATE INDEX contacts_phone ON contacts(phone);

CREATE TABLE consents (
    id          INTEGER PRIMARY KEY,
    channel     TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    purpose     TEXT NOT NULL,             -- e.g. dossier_tracking
    wording     TEXT NOT NULL,             -- exactly what the citizen agreed to
    granted_at  TEXT NOT NULL,
    withdrawn_at TEXT
);
CREATE INDEX consents_user ON consents(channel, user_id, purpose);

CREATE TABLE subscriptions (
    channel     TEXT NOT NULL,
    chat_id     TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    dossier_code TEXT NOT NULL,
    reason      TEXT NOT NULL,             -- lookup | owner
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    PRIMARY KEY (channel, chat_id, dossier_code)
);
CREATE INDEX subscriptions_dossier ON subscriptions(dossier_code);

CREATE TABLE officials (
    channel     TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    role        TEXT NOT NULL CHECK (role IN ('official', 'leader')),
    agency_code TEXT,                      -- NULL for leaders (all agencies)
    added_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    PRIMARY KEY (channel, user_id)
);
