-- 0008: imports remembered for "undo last import": the records an import created, and
-- the values of those it changed as they were before, with each record's updated_at
-- right after the import so that a later change is detected before undoing.
-- Released: never edit; add a new numbered file instead.

CREATE TABLE import_batches (
    id          TEXT PRIMARY KEY,
    record_kind TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    actor       TEXT NOT NULL,
    created     INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    undone_at   TEXT
) STRICT;

CREATE TABLE import_batch_records (
    batch_id   TEXT NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    record_id  TEXT NOT NULL,
    action     TEXT NOT NULL CHECK (action IN ('created', 'updated')),
    -- The record's values before the import as JSON (updated records only).
    previous   TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (batch_id, position)
) STRICT;
