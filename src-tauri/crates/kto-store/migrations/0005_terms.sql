-- 0005: spin-off deal terms, the office's own reference term sets and learning progress.
-- Released: never edit; add a new numbered file instead.

-- One row per spin-off that has terms. The terms are kto_core::terms::deal::DealTerms as
-- JSON (camelCase, percentages in basis points, money in cents); the cap-table plan is the
-- founding allocations and funding rounds the office models for the company. Deleting the
-- spin-off deletes its terms.
CREATE TABLE spin_off_terms (
    spin_off_id      TEXT PRIMARY KEY REFERENCES spin_offs(id) ON DELETE CASCADE,
    terms_json       TEXT NOT NULL CHECK (json_valid(terms_json)),
    cap_table_json   TEXT CHECK (cap_table_json IS NULL OR json_valid(cap_table_json)),
    reference_set_id TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;

-- Reference sets the office adds itself (for example its holding's policy), as
-- kto_core::terms::reference::ReferenceSet JSON. The shipped sets are not stored here.
CREATE TABLE reference_term_sets (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    set_json   TEXT NOT NULL CHECK (json_valid(set_json)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX reference_term_sets_by_name ON reference_term_sets(name, id);

-- Learn: per lesson the self-check answers given (question id -> option index, as JSON)
-- and whether the lesson was completed. Local to this installation.
CREATE TABLE learning_progress (
    lesson_id    TEXT PRIMARY KEY,
    answers_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(answers_json)),
    completed    INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1)),
    updated_at   TEXT NOT NULL
) STRICT;
