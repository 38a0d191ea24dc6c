-- Satisfaction ratings of returned dossiers, their history, invitations, the 👍/👎 under
-- procedure answers (kept apart), and the state of the below-target alert.
-- Times are ISO 8601 UTC strings: YYYY-MM-DDTHH:MM:SSZ (they sort as text).

-- One current rating per dossier: the citizen may change it for 7 days (latest counts).
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
-- Statistics count index ranges (key, level, month): no table reads and no sorting, so a
-- year of a million ratings takes a few tenths of a second (bench/stats.py).
CREATE INDEX ratings_agency ON ratings(agency_code, level, rated_at);
CREATE INDEX ratings_procedure ON ratings(procedure_code, level, rated_at, agency_code);
CREATE INDEX ratings_field ON ratings(field, level, rated_at, agency_code);
-- Decision 766 looks up the (few) unsatisfied dossiers.
CREATE INDEX ratings_unsatisfied ON ratings(dossier_code, level) WHERE level = 'khong_hai_long';

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

-- Returned dossiers per agency (or procedure) and month, for the same range counts, and the
-- late ones among them (after the appointment, or with an apology), for Decision 766.
CREATE INDEX dossiers_returned ON dossiers(agency_code, status, status_at) WHERE status = 10;
CREATE INDEX dossiers_returned_procedure ON dossiers(procedure_code, status, status_at, agency_code)
    WHERE status = 10;
CREATE INDEX dossiers_returned_late ON dossiers(agency_code, status, status_at)
    WHERE status = 10 AND (status_at > due_at OR apologized_due_at IS NOT NULL);
-- "Asked for more documents more than once": transitions into status 5.
CREATE INDEX dossier_events_to_5 ON dossier_events(dossier_code) WHERE to_status = 5;
