-- 0001: people, organisations, disclosures with inventors, activity history, settings,
-- and the full-text search index shared by all record kinds.
-- Released: never edit; add a new numbered file instead.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE organisations (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    country    TEXT NOT NULL DEFAULT 'NL',
    kvk        TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX organisations_by_name ON organisations(name COLLATE NOCASE, id);

CREATE TABLE people (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    email           TEXT,
    organisation_id TEXT REFERENCES organisations(id) ON DELETE RESTRICT,
    faculty         TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX people_by_name ON people(name COLLATE NOCASE, id);
CREATE INDEX people_by_organisation ON people(organisation_id);

CREATE TABLE disclosures (
    id          TEXT PRIMARY KEY,
    reference   TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    received_on TEXT NOT NULL,
    faculty     TEXT NOT NULL DEFAULT '',
    trl         INTEGER CHECK (trl BETWEEN 1 AND 9),
    stage       TEXT NOT NULL,
    decision    TEXT,
    decided_on  TEXT,
    summary     TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
-- One index per sortable column, each ending in id so that pages are fetched by key.
CREATE INDEX disclosures_by_received ON disclosures(received_on, id);
CREATE INDEX disclosures_by_title ON disclosures(title COLLATE NOCASE, id);
CREATE INDEX disclosures_by_reference ON disclosures(reference, id);
CREATE INDEX disclosures_by_faculty ON disclosures(faculty COLLATE NOCASE, id);
CREATE INDEX disclosures_by_trl ON disclosures(ifnull(trl, 0), id);
CREATE INDEX disclosures_by_stage ON disclosures(
    (CASE stage WHEN 'received' THEN 0 WHEN 'in_assessment' THEN 1 ELSE 2 END), id);

CREATE TABLE disclosure_inventors (
    disclosure_id TEXT NOT NULL REFERENCES disclosures(id) ON DELETE CASCADE,
    person_id     TEXT NOT NULL REFERENCES people(id) ON DELETE RESTRICT,
    share_bp      INTEGER NOT NULL CHECK (share_bp BETWEEN 1 AND 10000),
    position      INTEGER NOT NULL,
    PRIMARY KEY (disclosure_id, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX disclosure_inventors_by_person ON disclosure_inventors(person_id);

-- Append-only history of every change, written in the transaction of the change.
CREATE TABLE activities (
    seq         INTEGER PRIMARY KEY,
    record_kind TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    field       TEXT,
    old_value   TEXT,
    new_value   TEXT
) STRICT;
CREATE INDEX activities_by_record ON activities(record_id, seq);
CREATE TRIGGER activities_are_append_only_update BEFORE UPDATE ON activities
BEGIN
    SELECT RAISE(ABORT, 'the activity history cannot be changed');
END;
CREATE TRIGGER activities_are_append_only_delete BEFORE DELETE ON activities
BEGIN
    SELECT RAISE(ABORT, 'the activity history cannot be deleted');
END;

-- Full-text search over every record kind. search_docs gives each record a stable
-- integer id (the FTS rowid), so an update replaces its entry without a scan.
CREATE TABLE search_docs (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL,
    record_id TEXT NOT NULL UNIQUE
) STRICT;
CREATE VIRTUAL TABLE search_index USING fts5(
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
