-- Feedback and complaints (phản ánh, kiến nghị): tickets, their attachments, every action
-- taken on them, and the official whose next message completes an action.
-- Times are ISO 8601 UTC strings: YYYY-MM-DDTHH:MM:SSZ (they sort as text).
-- Decision 766 (bot/ratings/stats.py) counts tickets by feedback.dossier_code: keep both names.

CREATE TABLE feedback (
    id              INTEGER PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE            -- PAKN-YYYY-NNNNNN, a sequence per year
                    CHECK (number GLOB 'PAKN-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]'),
    channel         TEXT NOT NULL,
    user_id         TEXT,                           -- NULL once the citizen asked to be forgotten
    chat_id         TEXT,
    category        TEXT NOT NULL
                    CHECK (category IN ('thu_tuc', 'cham_tre', 'nhung_nhieu', 'de_xuat', 'khac')),
    agency_code     TEXT NOT NULL,
    dossier_code    TEXT,
    text            TEXT NOT NULL CHECK (length(text) BETWEEN 15 AND 4000),
    name            TEXT,
    phone           TEXT,
    anonymous       INTEGER NOT NULL CHECK (anonymous IN (0, 1)),  -- no name + contact: a tip
    consent_at      TEXT,                           -- consent to use name/phone for this purpose
    consent_wording TEXT,                           -- exactly what was agreed to
    publish_consent INTEGER NOT NULL DEFAULT 0 CHECK (publish_consent IN (0, 1)),
    status          TEXT NOT NULL DEFAULT 'received'
                    CHECK (status IN ('received', 'assigned', 'need_info', 'answered',
                                      'rejected', 'closed', 'forwarded')),
    assignee        TEXT,                           -- the official's user id (staff channel)
    routed_chat_id  TEXT,                           -- where the alert went (NULL: nowhere set up)
    answer          TEXT,
    answered_at     TEXT,
    public_text     TEXT,                           -- the question as published (may be redacted)
    published_at    TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    text_hash       TEXT NOT NULL,                  -- normalised text, for duplicates
    satisfied       INTEGER CHECK (satisfied IS NULL OR satisfied IN (0, 1)),
    rated_at        TEXT
);
CREATE INDEX feedback_user ON feedback(channel, user_id, created_at);
CREATE INDEX feedback_duplicate ON feedback(channel, user_id, text_hash, created_at);
CREATE INDEX feedback_open ON feedback(agency_code, status, created_at)
    WHERE status NOT IN ('rejected', 'closed');
CREATE INDEX feedback_published ON feedback(published_at) WHERE published_at IS NOT NULL;
CREATE INDEX feedback_dossier ON feedback(dossier_code) WHERE dossier_code IS NOT NULL;

CREATE TABLE feedback_attachments (
    id              INTEGER PRIMARY KEY,
    feedback_id     INTEGER NOT NULL REFERENCES feedback(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('photo', 'location')),
    file_id         TEXT,
    lat             REAL,
    lon             REAL,
    size            INTEGER,
    added_at        TEXT NOT NULL,
    CHECK ((kind = 'photo' AND file_id IS NOT NULL)
           OR (kind = 'location' AND lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180))
);
CREATE INDEX feedback_attachments_ticket ON feedback_attachments(feedback_id);

CREATE TABLE feedback_events (
    id              INTEGER PRIMARY KEY,
    feedback_id     INTEGER NOT NULL REFERENCES feedback(id) ON DELETE CASCADE,
    action          TEXT NOT NULL
                    CHECK (action IN ('created', 'assigned', 'need_info', 'info_added',
                                      'answered', 'forwarded', 'rejected', 'closed',
                                      'escalated', 'reminded', 'published', 'rated')),
    actor           TEXT NOT NULL,                  -- citizen | official:<channel>:<id> | system
    at              TEXT NOT NULL,
    note            TEXT
);
CREATE INDEX feedback_events_ticket ON feedback_events(feedback_id, id);

-- An official pressed "answer" (or "need info", "reject"): their next message in that chat
-- is the text of the action.
CREATE TABLE feedback_pending (
    channel         TEXT NOT NULL,
    user_id         TEXT NOT NULL,                  -- the official
    feedback_id     INTEGER NOT NULL REFERENCES feedback(id) ON DELETE CASCADE,
    action          TEXT NOT NULL CHECK (action IN ('answer', 'need_info', 'reject')),
    at              TEXT NOT NULL,
    PRIMARY KEY (channel, user_id)
);
