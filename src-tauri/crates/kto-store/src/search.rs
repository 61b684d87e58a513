//! The full-text index shared by all record kinds (FTS5, diacritics folded, prefix
//! indexes for two and three characters).

use rusqlite::{params, Connection, OptionalExtension};

use crate::{Error, Result};

/// Puts (or replaces) the searchable text of one record.
pub(crate) fn index(
    conn: &Connection,
    kind: &str,
    record_id: &str,
    title: &str,
    body: &str,
) -> Result<()> {
    let doc: Option<i64> = conn
        .prepare_cached("SELECT id FROM search_docs WHERE record_id = ?1")
        .and_then(|mut s| s.query_row([record_id], |r| r.get(0)).optional())
        .map_err(Error::sql("updating the search index"))?;
    let doc = match doc {
        Some(id) => {
            conn.prepare_cached("DELETE FROM search_index WHERE rowid = ?1")
                .and_then(|mut s| s.execute([id]))
                .map_err(Error::sql("updating the search index"))?;
            id
        }
        None => {
            conn.prepare_cached("INSERT INTO search_docs (kind, record_id) VALUES (?1, ?2)")
                .and_then(|mut s| s.execute([kind, record_id]))
                .map_err(Error::sql("updating the search index"))?;
            conn.last_insert_rowid()
        }
    };
    conn.prepare_cached("INSERT INTO search_index (rowid, title, body) VALUES (?1, ?2, ?3)")
        .and_then(|mut s| s.execute(params![doc, title, body]))
        .map_err(Error::sql("updating the search index"))?;
    Ok(())
}

/// SQL condition selecting the ids of `kind` records that match the FTS query bound as
/// `:q`; `id_column` is the record id column of the outer query.
pub(crate) fn matches_clause(id_column: &str, kind: &str) -> String {
    format!(
        "{id_column} IN (SELECT sd.record_id FROM search_index
                           JOIN search_docs sd ON sd.id = search_index.rowid
                          WHERE search_index MATCH :q AND sd.kind = '{kind}')"
    )
}
