-- PostgreSQL twin of migrations/0017_catalog_layers.sql (same version; see migrations_pg/__init__.py).
-- The catalog in layers: each source's version of a procedure is kept, and `procedures.data`
-- is their merge (bot/catalog/layers.py), so an import fills what the curated text lacks
-- instead of replacing it, and a re-import is idempotent.

CREATE TABLE procedure_layers (
    code         TEXT NOT NULL,          -- the procedure (procedures.code) this layer belongs to
    source       TEXT NOT NULL,          -- official | default | national | csv
    source_code  TEXT NOT NULL,          -- the code as the source wrote it (a province's suffix kept)
    data         TEXT NOT NULL,          -- the source's procedure as JSON
    content_hash TEXT NOT NULL,
    updated_at   TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
    PRIMARY KEY (code, source, source_code)
);
CREATE INDEX procedure_layers_source ON procedure_layers(source_code);

-- What a store held before is its only known layer (the bundled one comes back at start-up).
INSERT INTO procedure_layers(code, source, source_code, data, content_hash)
    SELECT code, source, code, data, content_hash FROM procedures;
