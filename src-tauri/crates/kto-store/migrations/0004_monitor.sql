-- 0004: the yearly monitor: office inputs per year, signing keys and signed submissions.
-- Released: never edit; add a new numbered file instead.

-- The institution's yearly inputs that normalise the monitor figures (domain.md §3). One
-- row per reported year; a missing value is NULL ("not available"), never 0.
CREATE TABLE office_inputs (
    year                       INTEGER PRIMARY KEY CHECK (year BETWEEN 1990 AND 2100),
    id                         TEXT NOT NULL UNIQUE,
    research_expenditure_cents INTEGER CHECK (research_expenditure_cents >= 0),
    research_fte_hundredths    INTEGER CHECK (research_fte_hundredths >= 0),
    kto_fte_hundredths         INTEGER CHECK (kto_fte_hundredths >= 0),
    created_at                 TEXT NOT NULL,
    updated_at                 TEXT NOT NULL,
    updated_by                 TEXT NOT NULL
) STRICT;

-- Every public key that ever signed (or may sign) a submission. A key is replaced by
-- retiring it, never by deleting it: the old key is still needed to verify what it signed.
CREATE TABLE signing_keys (
    key_id      TEXT PRIMARY KEY CHECK (length(key_id) = 16),
    public_key  TEXT NOT NULL,
    fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
    created_at  TEXT NOT NULL,
    retired_at  TEXT
) STRICT;
CREATE TRIGGER signing_keys_are_never_deleted BEFORE DELETE ON signing_keys
BEGIN
    SELECT RAISE(ABORT, 'a signing key cannot be deleted; retire it instead');
END;
CREATE TRIGGER signing_keys_only_retire BEFORE UPDATE ON signing_keys
WHEN OLD.retired_at IS NOT NULL
  OR NEW.retired_at IS NULL
  OR NEW.key_id IS NOT OLD.key_id
  OR NEW.public_key IS NOT OLD.public_key
  OR NEW.fingerprint IS NOT OLD.fingerprint
  OR NEW.created_at IS NOT OLD.created_at
BEGIN
    SELECT RAISE(ABORT, 'a signing key can only be retired, once');
END;

-- Signed submissions, exactly as signed: the canonical JSON text and its detached minisign
-- signature. Never changed or deleted; a correction is a new version of the same year that
-- names the version it supersedes (version 1 supersedes nothing, each later version the one
-- before it, and each version is superseded at most once).
CREATE TABLE submissions (
    id                 TEXT PRIMARY KEY,
    year               INTEGER NOT NULL,
    version            INTEGER NOT NULL CHECK (version >= 1),
    supersedes_id      TEXT REFERENCES submissions(id),
    institution_id     TEXT NOT NULL,
    definition_version TEXT NOT NULL,
    canonical_json     TEXT NOT NULL,
    signature          TEXT NOT NULL,
    sha256             TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    key_id             TEXT NOT NULL REFERENCES signing_keys(key_id),
    signer             TEXT NOT NULL,
    signed_at          TEXT NOT NULL,
    UNIQUE (year, version),
    CHECK ((version = 1) = (supersedes_id IS NULL))
) STRICT;
CREATE UNIQUE INDEX submissions_superseded_once ON submissions(supersedes_id)
    WHERE supersedes_id IS NOT NULL;
CREATE TRIGGER submissions_supersede_the_previous_version BEFORE INSERT ON submissions
WHEN NEW.supersedes_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM submissions
     WHERE id = NEW.supersedes_id AND year = NEW.year AND version = NEW.version - 1)
BEGIN
    SELECT RAISE(ABORT, 'a correction must supersede the previous version of the same year');
END;
CREATE TRIGGER submissions_are_immutable_update BEFORE UPDATE ON submissions
BEGIN
    SELECT RAISE(ABORT, 'a signed submission cannot be changed; sign a corrected version instead');
END;
CREATE TRIGGER submissions_are_immutable_delete BEFORE DELETE ON submissions
BEGIN
    SELECT RAISE(ABORT, 'a signed submission cannot be deleted');
END;
