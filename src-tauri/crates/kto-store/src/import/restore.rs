//! Importing a whole export ([`Store::export_all`]) into an empty office: every table of
//! its JSON file as stored, so that the records keep their ids, links, stages, inventors,
//! notes, history and attachments, and an export of the result is the same file for file.
//!
//! The JSON file is the source: it holds every table, money in cents and history with its
//! hashes. Nothing in it is trusted. A table or column this version does not know refuses
//! the file; every record then passes the same checks as a record imported from a
//! spreadsheet (the kind's fields and rules, its links), the foreign keys are checked, the
//! history must verify hash by hash and match the records, each attachment must be the
//! file its hash names, and each CSV file of the export must be what the JSON file holds
//! (an edited CSV file is imported on its own, with `--kind`). All in one transaction: on
//! any problem the office stays empty.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::Path;

use kto_core::backup::ImportedExport;
use rusqlite::types::Value as Sql;
use serde_json::{Map, Value as Json};
use sha2::{Digest, Sha256};

use super::*;
use crate::export::{csv_file_name, office_tables, EXPORT_FORMAT, EXPORT_JSON_NAME, LAPTOP_TABLES};
use crate::search;

/// The largest export JSON file read (attachments included, as hex).
pub const MAX_EXPORT_JSON_BYTES: u64 = 4 * 1024 * 1024 * 1024;

const DOING: &str = "importing the export";

/// The parts of the JSON file an import reads.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExportDoc {
    format: String,
    version: u32,
    schema_version: u32,
    tables: Map<String, Json>,
}

/// A refusal of the export in `dir` for `reason`.
fn bad(dir: &Path, reason: impl Into<String>) -> Error {
    Error::BadExport {
        path: dir.to_path_buf(),
        reason: reason.into(),
    }
}

/// A table's columns with their declared types, in order.
fn column_types(conn: &Connection, table: &str) -> Result<Vec<(String, String)>> {
    conn.prepare("SELECT name, upper(type) FROM pragma_table_info(?1) ORDER BY cid")
        .and_then(|mut s| {
            s.query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect()
        })
        .map_err(Error::sql(DOING))
}

/// The office's tables, parents before the tables that refer to them.
fn dependency_order(conn: &Connection) -> Result<Vec<String>> {
    let tables = office_tables(conn)?;
    let mut parents: HashMap<String, Vec<String>> = HashMap::new();
    for t in &tables {
        let refs: Vec<String> = conn
            .prepare("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)")
            .and_then(|mut s| s.query_map([t], |r| r.get(0))?.collect())
            .map_err(Error::sql(DOING))?;
        parents.insert(t.clone(), refs);
    }
    let mut order: Vec<String> = Vec::with_capacity(tables.len());
    while order.len() < tables.len() {
        let before = order.len();
        for t in &tables {
            let ready = parents[t]
                .iter()
                .all(|p| p == t || order.contains(p) || !tables.contains(p));
            if !order.contains(t) && ready {
                order.push(t.clone());
            }
        }
        if order.len() == before {
            // A cycle of foreign keys: the rest in name order (the keys are checked at the end).
            order.extend(
                tables
                    .iter()
                    .filter(|t| !order.contains(t))
                    .cloned()
                    .collect::<Vec<_>>(),
            );
        }
    }
    Ok(order)
}

/// One JSON value as the SQL value of a column of `ty`.
fn sql_value(v: &Json, ty: &str) -> std::result::Result<Sql, String> {
    Ok(match v {
        Json::Null => Sql::Null,
        Json::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Sql::Integer(i),
            (None, Some(f)) => Sql::Real(f),
            _ => return Err(format!("the number {n} is out of range")),
        },
        Json::String(s) if ty == "BLOB" => Sql::Blob(from_hex(s).ok_or("is not hexadecimal")?),
        Json::String(s) => Sql::Text(s.clone()),
        Json::Bool(_) => {
            return Err("is true or false, where the table stores a number or text".into())
        }
        Json::Array(_) | Json::Object(_) => {
            return Err("is a list or an object, not a value".into())
        }
    })
}

fn from_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
        .collect()
}

/// The first line where `a` and `b` differ, 1 being the header.
fn first_difference(a: &[u8], b: &[u8]) -> usize {
    let at = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    a[..at].iter().filter(|c| **c == b'\n').count() + 1
}

impl Store {
    /// Imports the export in `dir` into this office, which must hold no records (a new
    /// data folder). One transaction: on any problem nothing is changed and the error says
    /// what in which file. `today` is the date the records' dates are checked against.
    pub fn import_export(&mut self, dir: &Path, today: NaiveDate) -> Result<ImportedExport> {
        let json = dir.join(EXPORT_JSON_NAME);
        let size = fs::metadata(&json)
            .map_err(|_| {
                bad(
                    dir,
                    format!(
                        "it holds no {EXPORT_JSON_NAME}; choose the folder that `kto export` or \
                         Settings → Export everything wrote"
                    ),
                )
            })?
            .len();
        if size > MAX_EXPORT_JSON_BYTES {
            return Err(bad(dir, format!("{EXPORT_JSON_NAME} is larger than 4 GB")));
        }
        let file = fs::File::open(&json).map_err(Error::file("read", &json))?;
        let doc: ExportDoc =
            serde_json::from_reader(std::io::BufReader::new(file)).map_err(|e| {
                bad(
                    dir,
                    format!("{EXPORT_JSON_NAME} is not an export's JSON file ({e})"),
                )
            })?;
        if doc.format != EXPORT_FORMAT || !(1..=crate::EXPORT_VERSION).contains(&doc.version) {
            return Err(bad(
                dir,
                format!(
                    "{EXPORT_JSON_NAME} is format `{}` version {}; this version of KTO Desk reads \
                     `{EXPORT_FORMAT}` versions 1 to {}",
                    doc.format,
                    doc.version,
                    crate::EXPORT_VERSION
                ),
            ));
        }
        if doc.schema_version > crate::LATEST_VERSION {
            return Err(Error::NewerSchema {
                found: doc.schema_version,
                supported: crate::LATEST_VERSION,
            });
        }
        if crate::sync::holds_records(&self.conn)? {
            return Err(Error::Conflict(
                "this office already holds records; a whole export is imported into an empty \
                 office (start KTO Desk with a new data folder). To add rows to this office, \
                 import one CSV file with its kind"
                    .into(),
            ));
        }
        let tx = self
            .conn
            .unchecked_transaction()
            .map_err(Error::sql(DOING))?;
        tx.execute_batch("PRAGMA defer_foreign_keys = ON")
            .map_err(Error::sql(DOING))?;
        let known = dependency_order(&tx)?;
        if let Some(unknown) = doc
            .tables
            .keys()
            .find(|t| !known.contains(t) && !LAPTOP_TABLES.contains(&t.as_str()))
        {
            return Err(bad(
                dir,
                format!("{EXPORT_JSON_NAME} holds a table `{unknown}` that this version of KTO Desk does not know"),
            ));
        }
        let mut rows_in: BTreeMap<&str, usize> = BTreeMap::new();
        for table in &known {
            let Some(rows) = doc.tables.get(table) else {
                continue;
            };
            let Json::Array(rows) = rows else {
                return Err(bad(dir, format!("table `{table}` is not a list of rows")));
            };
            insert_rows(&tx, dir, table, rows)?;
            rows_in.insert(table, rows.len());
        }
        self.check_restored(&tx, dir, today)?;
        let records = reindex_all(&tx)?;
        tx.execute(
            "UPDATE sync_device SET carried_to = (SELECT coalesce(max(seq), 0) FROM activities)",
            [],
        )
        .map_err(Error::sql(DOING))?;
        tx.commit().map_err(Error::sql(DOING))?;
        Ok(ImportedExport {
            folder: dir.display().to_string(),
            records,
            history: rows_in.get("activities").copied().unwrap_or(0) as u64,
            attachments: rows_in.get("attachments").copied().unwrap_or(0) as u64,
        })
    }

    /// Every check of a restored office before it is committed.
    fn check_restored(&self, tx: &Connection, dir: &Path, today: NaiveDate) -> Result<()> {
        let mut problems = Vec::new();
        for spec in import_specs() {
            let t = target(spec.kind);
            let mut existing: Vec<_> = t.load_existing(tx, spec)?.into_iter().collect();
            existing.sort_by(|a, b| a.0.cmp(&b.0));
            for (id, record) in existing {
                for (field, kind) in t.check(tx, spec, &record.values, Some(&id), today)? {
                    problems.push(ImportProblem {
                        line: 0,
                        column: None,
                        message: format!(
                            "{}, record {id} ({}): {field}: {}",
                            file_of(spec),
                            record.title,
                            describe(&kind)
                        ),
                    });
                }
            }
        }
        let mut stmt = tx
            .prepare("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")
            .map_err(Error::sql(DOING))?;
        let missing: Vec<(String, Option<i64>, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .and_then(|rows| rows.collect())
            .map_err(Error::sql(DOING))?;
        for (table, rowid, parent) in missing {
            problems.push(ImportProblem {
                line: 0,
                column: None,
                message: format!(
                    "table `{table}`, row {}: refers to a row of `{parent}` that is not in the export",
                    rowid.map_or_else(|| "?".into(), |r| r.to_string())
                ),
            });
        }
        if !problems.is_empty() {
            return Err(Error::Import(ImportProblems(problems)));
        }
        let report = self.verify_audit()?;
        if let Some(problem) = report
            .problem
            .clone()
            .or_else(|| report.findings.first().cloned())
        {
            return Err(bad(
                dir,
                format!(
                    "its history does not verify ({problem}); {EXPORT_JSON_NAME} was changed after \
                     it was exported. Export the office again on one of its laptops"
                ),
            ));
        }
        self.check_attachment_files(tx, dir)?;
        self.check_csv_files(dir)
    }

    /// Each attachment is the file its size and SHA-256 name, and so is its copy in the
    /// export's `attachments/` folder when that is there.
    fn check_attachment_files(&self, tx: &Connection, dir: &Path) -> Result<()> {
        let mut stmt = tx
            .prepare(
                "SELECT a.id, a.file_name, a.size, a.sha256, c.content FROM attachments a
                   LEFT JOIN attachment_content c ON c.attachment_id = a.id ORDER BY a.id",
            )
            .map_err(Error::sql(DOING))?;
        let mut rows = stmt.query([]).map_err(Error::sql(DOING))?;
        while let Some(r) = rows.next().map_err(Error::sql(DOING))? {
            let id: String = r.get(0).map_err(Error::sql(DOING))?;
            let name: String = r.get(1).map_err(Error::sql(DOING))?;
            let size: i64 = r.get(2).map_err(Error::sql(DOING))?;
            let sha: String = r.get(3).map_err(Error::sql(DOING))?;
            let content: Option<Vec<u8>> = r.get(4).map_err(Error::sql(DOING))?;
            let content = content.unwrap_or_default();
            let hash: String = Sha256::digest(&content)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            if content.len() as i64 != size || hash != sha {
                return Err(bad(
                    dir,
                    format!("the attachment `{name}` ({id}) is not the file its size and SHA-256 describe"),
                ));
            }
            let copy_dir = dir.join("attachments").join(&id);
            if let Ok(entries) = fs::read_dir(&copy_dir) {
                for e in entries.flatten() {
                    let copy = fs::read(e.path()).map_err(Error::file("read", &e.path()))?;
                    if copy != content {
                        return Err(bad(
                            dir,
                            format!(
                                "`{}` is not the attachment `{name}` that {EXPORT_JSON_NAME} holds; \
                                 an export is imported as it was written",
                                e.path().display()
                            ),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// Each CSV file of the export is what the restored office exports.
    fn check_csv_files(&self, dir: &Path) -> Result<()> {
        let tables = crate::TABLE_EXPORTS
            .iter()
            .map(|t| (format!("{t}.csv"), Some(*t), None));
        let kinds = record::KINDS
            .iter()
            .map(|s| (csv_file_name(s), None, Some(s.kind)));
        for (name, table, kind) in tables.chain(kinds) {
            let path = dir.join(&name);
            let Ok(meta) = fs::metadata(&path) else {
                continue;
            };
            if meta.len() > MAX_EXPORT_JSON_BYTES {
                return Err(bad(dir, format!("{name} is larger than 4 GB")));
            }
            let on_disk = fs::read(&path).map_err(Error::file("read", &path))?;
            let mut ours = Vec::new();
            match (table, kind) {
                (Some(t), _) => self.export_table_csv(t, &mut ours)?,
                (_, Some(k)) => self.export_kind_csv(k, &mut ours)?,
                _ => 0,
            };
            if on_disk != ours {
                return Err(bad(
                    dir,
                    format!(
                        "{name} line {} is not what {EXPORT_JSON_NAME} holds. A whole export is \
                         imported from its JSON file, with its CSV files as they were exported; \
                         to bring in rows you changed, import that CSV file on its own",
                        first_difference(&on_disk, &ours)
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// The export's file of the records of `spec`.
fn file_of(spec: &KindSpec) -> String {
    match spec.kind {
        RecordKind::Disclosure => "disclosures.csv".into(),
        RecordKind::Deal => "deals.csv".into(),
        _ => csv_file_name(spec),
    }
}

/// Inserts the export's rows of `table`, checking every column against the table.
fn insert_rows(tx: &Connection, dir: &Path, table: &str, rows: &[Json]) -> Result<()> {
    let types: HashMap<String, String> = column_types(tx, table)?.into_iter().collect();
    match table {
        // The laptop's own settings and audit chain stay; the export's are added.
        "settings" | "audit_chains" => {}
        // Only the default stages of a new office are here; the export's replace them.
        _ => {
            tx.execute(&format!("DELETE FROM \"{table}\""), [])
                .map_err(Error::sql(DOING))?;
        }
    }
    for (n, row) in rows.iter().enumerate() {
        let at = |what: String| bad(dir, format!("table `{table}`, row {}: {what}", n + 1));
        let Json::Object(obj) = row else {
            return Err(at("is not an object of columns".into()));
        };
        let mut cols: Vec<String> = Vec::with_capacity(obj.len());
        let mut values: Vec<Sql> = Vec::with_capacity(obj.len());
        for (col, v) in obj {
            // Version 1 exports said which chain was the exporting laptop's own; here
            // every chain of the export is another laptop's.
            if table == "audit_chains" && col == "local" {
                continue;
            }
            let Some(ty) = types.get(col) else {
                return Err(at(format!(
                    "the column `{col}` is not one this version of KTO Desk knows"
                )));
            };
            values.push(sql_value(v, ty).map_err(|e| at(format!("`{col}` {e}")))?);
            cols.push(col.clone());
        }
        if table == "settings"
            && matches!(obj.get("key"), Some(Json::String(k)) if k.starts_with("sync."))
        {
            continue;
        }
        if cols.is_empty() {
            return Err(at("holds no columns".into()));
        }
        let sql = match table {
            "settings" => format!(
                "INSERT INTO settings ({}) VALUES ({}) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                cols.join(", "),
                vec!["?"; cols.len()].join(", ")
            ),
            "audit_chains" => format!(
                "INSERT INTO audit_chains ({}, local) VALUES ({}, 0)",
                cols.join(", "),
                vec!["?"; cols.len()].join(", ")
            ),
            _ => format!(
                "INSERT INTO \"{table}\" ({}) VALUES ({})",
                cols.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", "),
                vec!["?"; cols.len()].join(", ")
            ),
        };
        // Every row of a table has the same columns: one statement, prepared once.
        let mut stmt = tx.prepare_cached(&sql).map_err(Error::sql(DOING))?;
        stmt.execute(rusqlite::params_from_iter(values.iter()))
            .map_err(|e| at(format!("cannot be stored: {}", sql_reason(&e))))?;
    }
    Ok(())
}

/// SQLite's reason for refusing a row, as a phrase.
fn sql_reason(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
        other => other.to_string(),
    }
}

/// Builds the search index of every record and its notes; returns the records.
fn reindex_all(tx: &Connection) -> Result<u64> {
    let mut n = 0;
    for spec in import_specs() {
        let (table, _) = title_source(spec.kind);
        let ids: Vec<String> = tx
            .prepare(&format!("SELECT id FROM {table} ORDER BY id"))
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .map_err(Error::sql(DOING))?;
        for id in &ids {
            search::reindex(tx, spec.kind, id)?;
        }
        n += ids.len() as u64;
        if record::spec(spec.kind).is_some() {
            // A generic kind's entry is built with its notes.
            continue;
        }
        let notes: Vec<(String, String)> = tx
            .prepare(
                "SELECT record_id, new_value FROM activities
                  WHERE record_kind = ?1 AND action = 'noted' AND new_value IS NOT NULL ORDER BY seq",
            )
            .and_then(|mut s| {
                s.query_map([spec.kind.code()], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect()
            })
            .map_err(Error::sql(DOING))?;
        for (id, text) in notes {
            search::append_text(tx, &id, &text)?;
        }
    }
    Ok(n)
}
