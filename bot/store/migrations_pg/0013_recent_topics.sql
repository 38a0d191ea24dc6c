-- PostgreSQL twin of migrations/0013_recent_topics.sql (same version; see migrations_pg/__init__.py).
-- What each user was last shown (a procedure card, a dossier), so a follow-up such as
-- "còn phí thì sao?" is answered from it. Kept in the store so a restart loses nothing;
-- readers ignore entries older than the dialog's time-to-live.

CREATE TABLE recent_topics (
    channel         TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    procedure_code  TEXT,                       -- national code (8 characters) of the card
    others          TEXT NOT NULL DEFAULT '',   -- the card's other matches, comma-separated
    procedure_at    TEXT,
    dossier_code    TEXT,
    dossier_at      TEXT,
    PRIMARY KEY (channel, user_id)
);
