-- 0009: the record kind as a column of the full-text index, so that a search can ask the
-- index for the newest few matches of one kind and stop there, instead of reading every
-- match of a short prefix to sort them by kind. User queries are confined to title and
-- body (kto_core::search::fts_query), so the kind column never matches typed text.
-- Released: never edit; add a new numbered file instead.

CREATE VIRTUAL TABLE search_index_by_kind USING fts5(
    title,
    body,
    kind,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
INSERT INTO search_index_by_kind (rowid, title, body, kind)
    SELECT si.rowid, si.title, si.body, sd.kind
      FROM search_index si JOIN search_docs sd ON sd.id = si.rowid;
DROP TABLE search_index;
ALTER TABLE search_index_by_kind RENAME TO search_index;
