-- 0007: the content of attachments, kept inside the database so that a file is stored in
-- the same transaction as its listing, is covered by the integrity check, and travels with
-- every backup and restore. `attachments.stored_name` is the name a copy gets when opened.
-- Released: never edit; add a new numbered file instead.

CREATE TABLE attachment_content (
    attachment_id TEXT PRIMARY KEY REFERENCES attachments(id) ON DELETE CASCADE,
    content       BLOB NOT NULL
) STRICT;
