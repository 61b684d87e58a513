-- 0013: one office out of several laptops (kto-store's sync module).
--
-- Every committed write records its changes with SQLite's session extension and keeps
-- them in sync_outbox, numbered per device, with the history entries it made. The device
-- is this database's local audit chain (audit_chains.local = 1): its id names the
-- device's files in the shared folder. Changes of other devices are applied in order per
-- device (sync_applied); a field changed on two laptops is decided per column by the
-- newer change (sync_clock), and listed in sync_conflicts. History entries of other
-- devices keep their own chain and their own number (audit_chain.origin_seq).
-- Released: never edit; add a new numbered file instead.

-- This laptop in a shared office: the user's name, and the code its disclosure
-- references end with once the office is shared (NULL for a laptop on its own).
-- `carried_to` is the newest history entry of this device already in its outbox;
-- `newest_at` the newest change time seen here, own or applied: a change committed here
-- is stamped after it, so that it wins over every change this laptop had seen.
CREATE TABLE sync_device (
    one        INTEGER PRIMARY KEY CHECK (one = 1),
    name       TEXT NOT NULL DEFAULT '',
    code       TEXT CHECK (code IS NULL OR code GLOB '[A-Z]*'),
    carried_to INTEGER NOT NULL,
    newest_at  TEXT NOT NULL DEFAULT ''
) STRICT;
INSERT INTO sync_device (one, name, code, carried_to)
    VALUES (1, '', NULL, (SELECT coalesce(max(seq), 0) FROM activities));

-- This device's committed changes, in order: the changeset, and the entries of this
-- device's history chain that travel with it (activities seq in (history_from, history_to]).
CREATE TABLE sync_outbox (
    seq          INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    changeset    BLOB NOT NULL,
    history_from INTEGER NOT NULL,
    history_to   INTEGER NOT NULL CHECK (history_to >= history_from)
) STRICT;

-- The other devices this office has heard of.
CREATE TABLE sync_devices (
    device    TEXT PRIMARY KEY CHECK (length(device) = 32),
    name      TEXT NOT NULL DEFAULT '',
    code      TEXT,
    last_seq  INTEGER NOT NULL DEFAULT 0,
    last_at   TEXT
) STRICT;

-- Every change of another device applied here (or found to be a duplicate).
CREATE TABLE sync_applied (
    device     TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
    applied_at TEXT NOT NULL,
    PRIMARY KEY (device, seq)
) STRICT, WITHOUT ROWID;

-- When, and on which device, each column of a row was last changed: the newer change
-- wins a column changed on two laptops. Rows are named by their primary key as JSON.
CREATE TABLE sync_clock (
    tbl    TEXT NOT NULL,
    pk     TEXT NOT NULL,
    col    INTEGER NOT NULL,
    at     TEXT NOT NULL,
    device TEXT NOT NULL,
    PRIMARY KEY (tbl, pk, col)
) STRICT, WITHOUT ROWID;

-- A field changed on two laptops since they last synced, or a record edited on one and
-- deleted on the other. Both values are kept; `winner` is the provisional choice.
CREATE TABLE sync_conflicts (
    id            INTEGER PRIMARY KEY,
    found_at      TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('field', 'edit_delete')),
    tbl           TEXT NOT NULL,
    pk            TEXT NOT NULL,
    record_kind   TEXT,
    record_id     TEXT,
    col           TEXT,
    local_value   TEXT,
    remote_value  TEXT,
    local_device  TEXT NOT NULL,
    remote_device TEXT NOT NULL,
    local_at      TEXT,
    remote_at     TEXT NOT NULL,
    winner        TEXT NOT NULL CHECK (winner IN ('local', 'remote')),
    resolved_at   TEXT,
    resolution    TEXT CHECK (resolution IS NULL OR resolution IN ('accepted', 'swapped'))
) STRICT;
CREATE INDEX sync_conflicts_open ON sync_conflicts(resolved_at, id);

-- A history entry of another device keeps the number it has in its own chain.
ALTER TABLE audit_chain ADD COLUMN origin_seq INTEGER;

-- Joining an office from a snapshot makes the snapshot's chain a chain of another
-- device: `local` may go from 1 to 0, nothing else changes.
DROP TRIGGER audit_chains_are_fixed_update;
CREATE TRIGGER audit_chains_are_fixed_update BEFORE UPDATE ON audit_chains
WHEN NOT (OLD.local = 1 AND NEW.local = 0 AND NEW.chain = OLD.chain
          AND NEW.sealed_after = OLD.sealed_after)
BEGIN
    SELECT RAISE(ABORT, 'the audit chains cannot be changed');
END;
