-- 0012: the audit chain becomes tamper-evident against someone who can write the file.
--
-- Chains are named: audit_chains has one row per chain, the one this database appends to
-- marked `local` (today the only one; with several laptops each device keeps its own).
-- Every audit_chain row names its chain. From this migration on (seq > sealed_after) an
-- entry's hash also covers its chain id and `row_hash`, the SHA-256 of the record's row as
-- the change left it (NULL when the change removed it), so a record row edited outside
-- KTO Desk no longer matches the newest entry of its history. The rows that exist when
-- this migration runs get their row hash in audit_baseline (a one-time Rust step in this
-- migration's transaction, schema::after_migration). The chain's head is anchored outside
-- the file (backup sidecars, signed submissions): see kto-store's audit module.
-- Released: never edit; add a new numbered file instead.

CREATE TABLE audit_chains (
    chain        TEXT PRIMARY KEY CHECK (length(chain) = 32),
    local        INTEGER NOT NULL CHECK (local IN (0, 1)),
    sealed_after INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX audit_chains_one_local ON audit_chains(local) WHERE local = 1;
INSERT INTO audit_chains (chain, local, sealed_after)
    VALUES (lower(hex(randomblob(16))), 1, (SELECT coalesce(max(seq), 0) FROM audit_chain));

DROP TRIGGER audit_chain_is_append_only_update;
ALTER TABLE audit_chain ADD COLUMN chain TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_chain ADD COLUMN row_hash TEXT CHECK (row_hash IS NULL OR length(row_hash) = 64);
UPDATE audit_chain SET chain = (SELECT chain FROM audit_chains WHERE local = 1);
CREATE INDEX audit_chain_by_chain ON audit_chain(chain, seq);
CREATE TRIGGER audit_chain_is_append_only_update BEFORE UPDATE ON audit_chain
BEGIN
    SELECT RAISE(ABORT, 'the audit chain cannot be changed');
END;

CREATE TABLE audit_baseline (
    record_kind TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    row_hash    TEXT NOT NULL CHECK (length(row_hash) = 64),
    PRIMARY KEY (record_kind, record_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER audit_chains_are_fixed_update BEFORE UPDATE ON audit_chains
BEGIN
    SELECT RAISE(ABORT, 'the audit chains cannot be changed');
END;
CREATE TRIGGER audit_chains_are_fixed_delete BEFORE DELETE ON audit_chains
BEGIN
    SELECT RAISE(ABORT, 'the audit chains cannot be deleted');
END;
CREATE TRIGGER audit_baseline_is_fixed_update BEFORE UPDATE ON audit_baseline
BEGIN
    SELECT RAISE(ABORT, 'the audit baseline cannot be changed');
END;
CREATE TRIGGER audit_baseline_is_fixed_delete BEFORE DELETE ON audit_baseline
BEGIN
    SELECT RAISE(ABORT, 'the audit baseline cannot be deleted');
END;
