//! The full-text index shared by all record kinds (FTS5, diacritics folded, prefix
//! indexes for two and three characters).

use kto_core::activity::RecordKind;
use kto_core::pipeline::Pipeline;
use kto_core::search::{fts_query, fts_query_of_kind, SearchHit};
use rusqlite::{params, Connection, OptionalExtension};

use crate::{Error, Result, Store};

/// Puts (or replaces) the searchable text of one record; its notes are added to `body`.
pub(crate) fn index(
    conn: &Connection,
    kind: &str,
    record_id: &str,
    title: &str,
    body: &str,
) -> Result<()> {
    let notes: Vec<String> = conn
        .prepare_cached(
            "SELECT new_value FROM activities WHERE record_id = ?1 AND action = 'noted' ORDER BY seq",
        )
        .and_then(|mut s| {
            s.query_map([record_id], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(Error::sql("reading notes for the search index"))?;
    let body = if notes.is_empty() {
        body.to_string()
    } else {
        format!("{body} {}", notes.join(" "))
    };
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
    conn.prepare_cached(
        "INSERT INTO search_index (rowid, title, body, kind) VALUES (?1, ?2, ?3, ?4)",
    )
    .and_then(|mut s| s.execute(params![doc, title, body, kind]))
    .map_err(Error::sql("updating the search index"))?;
    Ok(())
}

/// Rebuilds the entry of one record from what is stored now, or drops it when the record
/// is gone: the sync's way to keep the index (a virtual table, not in changesets) true.
pub(crate) fn reindex(conn: &Connection, kind: RecordKind, id: &str) -> Result<()> {
    let (table, _) = crate::records::title_source(kind);
    let exists = conn
        .prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1"))
        .and_then(|mut s| s.exists([id]))
        .map_err(Error::sql("updating the search index"))?;
    if !exists {
        return remove(conn, id);
    }
    let sql = match kind {
        RecordKind::Disclosure => {
            "SELECT d.title, d.reference || ' ' || d.faculty || ' ' ||
                    coalesce((SELECT group_concat(p.name, ' ') FROM
                        (SELECT p.name FROM disclosure_inventors i JOIN people p ON p.id = i.person_id
                          WHERE i.disclosure_id = d.id ORDER BY i.position) p), '') || ' ' || d.summary
             FROM disclosures d WHERE d.id = ?1"
        }
        RecordKind::Deal => {
            "SELECT title, owner || ' ' || next_action || ' ' || coalesce(lost_reason, '') || ' ' || notes
             FROM deals WHERE id = ?1"
        }
        RecordKind::Person => {
            "SELECT p.name, coalesce(p.email, '') || ' ' || p.faculty || ' ' || coalesce(o.name, '')
             FROM people p LEFT JOIN organisations o ON o.id = p.organisation_id WHERE p.id = ?1"
        }
        RecordKind::Organisation => "SELECT name, coalesce(kvk, '') FROM organisations WHERE id = ?1",
        other => return crate::records::reindex(conn, other, id),
    };
    let (title, body): (String, String) = conn
        .prepare_cached(sql)
        .and_then(|mut s| s.query_row([id], |r| Ok((r.get(0)?, r.get(1)?))))
        .map_err(Error::sql("updating the search index"))?;
    index(conn, kind.code(), id, &title, &body)
}

/// Drops a record's entry from the index.
pub(crate) fn remove(conn: &Connection, record_id: &str) -> Result<()> {
    let doc: Option<i64> = conn
        .prepare_cached("SELECT id FROM search_docs WHERE record_id = ?1")
        .and_then(|mut s| s.query_row([record_id], |r| r.get(0)).optional())
        .map_err(Error::sql("updating the search index"))?;
    if let Some(doc) = doc {
        conn.prepare_cached("DELETE FROM search_index WHERE rowid = ?1")
            .and_then(|mut s| s.execute([doc]))
            .and_then(|_| conn.execute("DELETE FROM search_docs WHERE id = ?1", [doc]))
            .map_err(Error::sql("updating the search index"))?;
    }
    Ok(())
}

/// Adds `text` (a note) to the body of a record's existing entry.
pub(crate) fn append_text(conn: &Connection, record_id: &str, text: &str) -> Result<()> {
    let entry: Option<(i64, String, String, String)> = conn
        .prepare_cached(
            "SELECT sd.id, sd.kind, si.title, si.body FROM search_docs sd
               JOIN search_index si ON si.rowid = sd.id WHERE sd.record_id = ?1",
        )
        .and_then(|mut s| {
            s.query_row([record_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()
        })
        .map_err(Error::sql("updating the search index"))?;
    if let Some((doc, kind, title, body)) = entry {
        conn.prepare_cached("DELETE FROM search_index WHERE rowid = ?1")
            .and_then(|mut s| s.execute([doc]))
            .and_then(|_| {
                conn.execute(
                    "INSERT INTO search_index (rowid, title, body, kind) VALUES (?1, ?2, ?3, ?4)",
                    params![doc, title, format!("{body} {text}"), kind],
                )
            })
            .map_err(Error::sql("updating the search index"))?;
    }
    Ok(())
}

/// Like [`matches_clause`], with the FTS query bound as positional parameter `?n`.
pub(crate) fn matches_clause_at(id_column: &str, kind: &str, n: usize) -> String {
    format!(
        "{id_column} IN (SELECT sd.record_id FROM search_index
                           JOIN search_docs sd ON sd.id = search_index.rowid
                          WHERE search_index MATCH ?{n} AND sd.kind = '{kind}')"
    )
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

impl Store {
    /// Searches every kind of record at once: up to `per_kind` hits of each kind, newest
    /// first, each with a snippet of the text around the match. Prefix matching from two
    /// letters, diacritics folded; any text is safe to pass.
    pub fn search_all(&self, text: &str, per_kind: u32) -> Result<Vec<SearchHit>> {
        if fts_query(text).is_none() {
            return Ok(Vec::new());
        }
        let per_kind = per_kind.clamp(1, 100);
        // One query per kind: the index walks that kind's matches newest first and stops
        // after `per_kind`, so a short prefix that matches half the office costs no more
        // than a rare word. Snippets are built only for the rows returned.
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT sd.record_id, m.title, m.snip
                   FROM (SELECT rowid AS doc, title,
                                snippet(search_index, 1, '', '', '…', 10) AS snip
                           FROM search_index WHERE search_index MATCH ?1
                          ORDER BY rowid DESC LIMIT ?2) m
                   JOIN search_docs sd ON sd.id = m.doc
                  ORDER BY m.doc DESC",
            )
            .map_err(Error::sql("searching"))?;
        let mut pipeline_of = self
            .conn
            .prepare_cached("SELECT pipeline FROM deals WHERE id = ?1")
            .map_err(Error::sql("searching"))?;
        // Applications of one family share their title: the jurisdiction and number tell
        // them apart in the results.
        let mut filing_of = self
            .conn
            .prepare_cached(
                "SELECT jurisdiction || ifnull(' ' || application_number, '') FROM patents WHERE id = ?1",
            )
            .map_err(Error::sql("searching"))?;
        let mut hits = Vec::new();
        for kind in RecordKind::ALL {
            let Some(q) = fts_query_of_kind(text, kind.code()) else {
                continue;
            };
            let rows = stmt
                .query_map(params![q, per_kind], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                })
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                .map_err(Error::sql("searching"))?;
            for (id, mut title, snippet) in rows {
                if kind == RecordKind::Patent {
                    let filing: Option<String> = filing_of
                        .query_row([&id], |r| r.get(0))
                        .optional()
                        .map_err(Error::sql("searching"))?;
                    if let Some(filing) = filing.filter(|f| !f.trim().is_empty()) {
                        title = format!("{title} ({filing})");
                    }
                }
                let pipeline = if kind == RecordKind::Deal {
                    let code: Option<String> = pipeline_of
                        .query_row([&id], |r| r.get(0))
                        .optional()
                        .map_err(Error::sql("searching"))?;
                    code.as_deref().map(Pipeline::from_code).transpose()?
                } else {
                    None
                };
                hits.push(SearchHit {
                    kind,
                    id,
                    title,
                    snippet,
                    pipeline,
                });
            }
        }
        Ok(hits)
    }
}
