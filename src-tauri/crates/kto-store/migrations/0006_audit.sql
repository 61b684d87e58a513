-- 0006: a hash chain over the activity history, so that an edited or deleted entry is
-- detected (`Store::verify_audit`, `kto audit verify`).
--
-- Every activities row has one audit_chain row with the same seq holding
-- hex(SHA-256(previous hash ‖ canonical fields of the row)); the first row's previous hash
-- is 32 zero bytes. history::append writes it in the transaction of the change. The rows
-- that exist when this migration runs are chained by a one-time Rust step in this
-- migration's own transaction (schema::after_migration), because SQLite has no SHA-256.
-- Like the history itself, the chain is append-only.
-- Released: never edit; add a new numbered file instead.

CREATE TABLE audit_chain (
    seq  INTEGER PRIMARY KEY,
    hash TEXT NOT NULL CHECK (length(hash) = 64)
) STRICT;

CREATE TRIGGER audit_chain_is_append_only_update BEFORE UPDATE ON audit_chain
BEGIN
    SELECT RAISE(ABORT, 'the audit chain cannot be changed');
END;
CREATE TRIGGER audit_chain_is_append_only_delete BEFORE DELETE ON audit_chain
BEGIN
    SELECT RAISE(ABORT, 'the audit chain cannot be deleted');
END;
