-- Satisfaction ratings of returned dossiers, their history, invitations, the 👍/👎 under
-- procedure answers (kept apart), and the state of the below-target alert.
-- Times are ISO 8601 UTC strings: YYYY-MM-DDTHH:MM:SSZ (they sort as text).

-- One current rating per dossier; the citizen may change it for 7 days (latest counts).
-- user_id is NULL once the citizen asked to be forgotten: the rating stays, anonymous.
CREATE TABLE ratings (
    dossier_code    TEXT NOT NULL PRIMARY KEY REFERENCES dossiers(code) ON DELETE CASCADE,
    channel         TEXT NOT NULL,
    user_id         TEXT,
    level           TEXT NOT NULL
                    CHECK (level IN ('rat_hai_long', 'hai_long', 'khong_hai_long')),
    contacts_count  TEXT CHECK (contacts_count IS NULL OR contacts_count IN ('1', '2', '3+')),
    staff_attitude  TEXT CHECK (staff_attitude IS NULL
                                OR staff_attitude IN ('tan_tinh', 'binh_thuong', 'phien_ha')),
    timeliness      TEXT CHECK (timeliness IS NULL
                                OR timeliness IN ('truoc_hen', 'dung_hen', 'sau_hen')),
    comment         TEXT CHECK (comment IS NULL OR length(comment) <= 1000),
    first_rated_at  TEXT NOT NULL,             -- opens the 7-day change window
    rated_at        TEXT NOT NULL,             -- latest choice of level: the month it counts in
    agency_code     TEXT NOT NULL,             -- copied from the dossier: stats need no join
    procedure_code  TEXT NOT NULL,
    field           TEXT                       -- lĩnh vực, from the catalog when rated
);
-- Monthly aggregates range-scan rated_at; covering, so a million rows need no table reads.
CREATE INDEX ratings_rated ON ratings(rated_at, agency_code, level);
CREATE INDEX ratings_agency_rated ON ratings(agency_code, rated_at, level);
-- Decision 766 looks up the (few) unsatisfied dossiers.
CREATE INDEX ratings_unsatisfied ON ratings(dossier_code) WHERE level = 'khong_hai_long';

-- Every change of a rating (level, follow-up answer, comment), as it was after the change.
CREATE TABLE rating_history (
    id              INTEGER PRIMARY KEY,
    dossier_code    TEXT NOT NULL REFERENCES dossiers(code) ON DELETE CASCADE,
    level           TEXT NOT NULL,
    answers         TEXT NOT NULL DEFAULT '{}', -- JSON: contacts_count, staff_attitude, timeliness
    comment         TEXT,
    rated_at        TEXT NOT NULL,              -- when this change happened
    channel         TEXT NOT NULL,
    user_id         TEXT
);
CREATE INDEX rating_history_code ON rating_history(dossier_code, id);

-- An invitation to rate is sent once per dossier, ever.
CREATE TABLE rating_invitations (
    dossier_code    TEXT NOT NULL PRIMARY KEY REFERENCES dossiers(code) ON DELETE CASCADE,
    channel         TEXT NOT NULL,
    chat_id         TEXT NOT NULL,
    queued_at       TEXT NOT NULL
);

-- 👍/👎 under a procedure answer: about the bot's answer, not the public service.
CREATE TABLE answer_feedback (
    id              INTEGER PRIMARY KEY,
    channel         TEXT NOT NULL,
    user_id         TEXT,
    procedure_code  TEXT NOT NULL,
    query           TEXT,                       -- what was asked (cut to 500 characters)
    helpful         INTEGER NOT NULL CHECK (helpful IN (0, 1)),
    at              TEXT NOT NULL
);
CREATE INDEX answer_feedback_at ON answer_feedback(at);
CREATE INDEX answer_feedback_user ON answer_feedback(channel, user_id, at);

-- Whether each agency's rolling satisfaction is below target: alert once per crossing.
CREATE TABLE rate_alerts (
    agency_code     TEXT NOT NULL PRIMARY KEY,
    below           INTEGER NOT NULL CHECK (below IN (0, 1)),
    changed_at      TEXT NOT NULL
);

-- Returned dossiers per month (Decision 766, response rate): a small partial index.
CREATE INDEX dossiers_returned ON dossiers(status_at, agency_code) WHERE status = 10;
-- "Asked for more documents more than once": transitions into status 5.
CREATE INDEX dossier_events_to_5 ON dossier_events(dossier_code) WHERE to_status = 5;
