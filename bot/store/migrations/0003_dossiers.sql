-- Dossiers (hồ sơ) the bot can tell citizens about, their history, apologies, sync cursors.
-- Times are ISO 8601 UTC strings: YYYY-MM-DDTHH:MM:SSZ (they sort as text).

CREATE TABLE dossiers (
    code            TEXT NOT NULL PRIMARY KEY   -- canonical, e.g. 000.00.06.H56-231027-0361
                    CHECK (substr(code, -12, 1) = '-' AND substr(code, -5, 1) = '-'),
    procedure_code  TEXT NOT NULL,              -- e.g. 1.001193 or 1.001193.000.00.00.H42
    agency_code     TEXT NOT NULL,              -- the deployment's agency code (agencies.json)
    applicant_name  TEXT,
    applicant_phone TEXT                        -- 0xxxxxxxxx (mobile) or 02xxxxxxxxx (landline)
                    CHECK (applicant_phone IS NULL OR applicant_phone GLOB '0[0-9]*'),
    channel         TEXT                        -- how it was filed
                    CHECK (channel IS NULL OR channel IN ('truc_tiep', 'truc_tuyen', 'buu_chinh')),
    received_at     TEXT NOT NULL,
    due_at          TEXT,                       -- the appointment (hẹn trả kết quả)
    status          INTEGER NOT NULL CHECK (status BETWEEN 1 AND 10),
    status_at       TEXT NOT NULL,
    result_place    TEXT,
    note            TEXT,
    apologized_due_at TEXT,                     -- latest date promised in an apology
    updated_at      TEXT NOT NULL
);
CREATE INDEX dossiers_phone ON dossiers(applicant_phone) WHERE applicant_phone IS NOT NULL;
-- Overdue and due-soon lists look only at running dossiers (not 3, 7, 8, 10): most are finished.
CREATE INDEX dossiers_agency_status_due ON dossiers(agency_code, status, due_at)
    WHERE status IN (1, 2, 4, 5, 6, 9);

CREATE TABLE dossier_events (
    id              INTEGER PRIMARY KEY,
    dossier_code    TEXT NOT NULL REFERENCES dossiers(code) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('created', 'status', 'due_changed', 'apology')),
    from_status     INTEGER,
    to_status       INTEGER,
    old_due_at      TEXT,
    new_due_at      TEXT,
    at              TEXT NOT NULL,              -- when it happened (per the source)
    source          TEXT NOT NULL,              -- import:<file> | sync | official:<telegram id>
    actor           TEXT,
    note            TEXT,
    reason          TEXT,
    recorded_at     TEXT NOT NULL               -- when this store learned it
);
CREATE INDEX dossier_events_code ON dossier_events(dossier_code, id);

CREATE TABLE apologies (
    id              INTEGER PRIMARY KEY,
    dossier_code    TEXT NOT NULL REFERENCES dossiers(code) ON DELETE CASCADE,
    reason          TEXT NOT NULL,
    old_due_at      TEXT,
    new_due_at      TEXT NOT NULL,
    recorded_at     TEXT NOT NULL,
    recorded_by     TEXT,
    event_id        INTEGER REFERENCES dossier_events(id) ON DELETE SET NULL
);
CREATE INDEX apologies_code ON apologies(dossier_code);

CREATE TABLE sync_state (
    name            TEXT PRIMARY KEY,
    cursor          TEXT,
    updated_at      TEXT NOT NULL
);
