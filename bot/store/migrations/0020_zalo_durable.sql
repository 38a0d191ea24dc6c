-- The Zalo channel on a real OA: webhook events stored with their payload before the 200
-- (handled_at NULL: to be handled, also after a restart), token pairs from `motcua zalo
-- connect`, and the platform's configuration/money refusals seen per code and day.

ALTER TABLE zalo_events ADD COLUMN payload TEXT;
ALTER TABLE zalo_events ADD COLUMN handled_at TEXT;
UPDATE zalo_events SET handled_at = received_at;
CREATE INDEX zalo_events_unhandled ON zalo_events(received_at) WHERE handled_at IS NULL;

-- 'connect': the OAuth v4 code exchange or a pair from API Explorer (motcua zalo connect).
CREATE TABLE zalo_tokens_new (
    id              INTEGER PRIMARY KEY,
    access_token    TEXT NOT NULL,
    refresh_token   TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    source          TEXT NOT NULL CHECK (source IN ('settings', 'refresh', 'connect')),
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
INSERT INTO zalo_tokens_new SELECT * FROM zalo_tokens;
DROP TABLE zalo_tokens;
ALTER TABLE zalo_tokens_new RENAME TO zalo_tokens;

-- A code that needs an admin (ZCA missing or empty, OA not verified...): leaders are
-- alerted at its first sighting each day; /healthz and /metrics show today's.
CREATE TABLE zalo_refusals (
    code            INTEGER NOT NULL,
    day             TEXT NOT NULL,                  -- YYYY-MM-DD (UTC)
    api             TEXT NOT NULL,                  -- 'openapi' or 'zns'
    count           INTEGER NOT NULL DEFAULT 1,
    last_at         TEXT NOT NULL,
    PRIMARY KEY (code, day)
);

-- Buttons past Zalo's 5 of the last few cards, shown when the citizen taps that card's
-- "More choices" (JSON: {fold key: [buttons]}).
ALTER TABLE zalo_users ADD COLUMN more TEXT NOT NULL DEFAULT '{}';
