-- The loop with officials: answers to passed-on questions, and the phrasings an official
-- linked to a procedure, which teach the search.

ALTER TABLE questions ADD COLUMN answered_at TEXT;
ALTER TABLE questions ADD COLUMN answer TEXT;
ALTER TABLE questions ADD COLUMN procedure_code TEXT;
ALTER TABLE questions ADD COLUMN handled_by TEXT;     -- the official's name or id

CREATE TABLE learned_phrasings (
    id              INTEGER PRIMARY KEY,
    text            TEXT NOT NULL,                -- the citizen's wording, as asked
    procedure_code  TEXT NOT NULL,
    question_id     INTEGER REFERENCES questions(id) ON DELETE SET NULL,
    channel         TEXT NOT NULL,                -- who linked it
    user_id         TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX learned_phrasings_code ON learned_phrasings(procedure_code);
