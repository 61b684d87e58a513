//! Import of a generic kind from a spreadsheet: CSV (the canonical format of
//! `docs/csv-format.md` read back, and the shapes spreadsheets really have: a byte-order
//! mark, Windows-1252 or UTF-16 text, `;` or tab separators, Dutch amounts `1.234,56` and
//! dates `31-12-2025`) and workbooks (`.xlsx`, `.xls`, `.ods`, their date cells as dates).
//!
//! An import goes in steps: the columns are matched to fields ([`inspect_import`]), a
//! preview reports every problem by line and column and the rows that match existing
//! records ([`Store::preview_import`]), and the import is applied in one transaction with
//! the user's mapping and choices, reporting progress and cancellable
//! ([`Store::apply_import`]). Each import is remembered so that the last one can be undone
//! ([`Store::undo_last_import`]). [`Store::import_csv`] is the strict all-or-nothing path
//! of `kto import`.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Cursor;
use std::sync::atomic::{AtomicBool, Ordering};

use calamine::{Data, ExcelDateTime, ExcelDateTimeType, Reader};
use chrono::NaiveDate;
use kto_core::activity::{Change, RecordKind};
use kto_core::import::{
    auto_mapping, import_spec, import_specs, match_header, natural_keys, needs_column,
    DuplicateChoice, ImportBatch, ImportChoice, ImportColumn, ImportDuplicate, ImportFile,
    ImportFormat, ImportIssue, ImportOutcome, ImportPreview, ImportProgress, ImportRequest,
    ImportSource, IssueKind, MatchedBy, UndoOutcome, ID_TARGET,
};
use kto_core::record::{self, FieldSpec, FieldType, KindSpec, Value, Values};
use kto_core::validation::Problem;
use rusqlite::{params, Connection, OptionalExtension};

use crate::import_typed;
use crate::records::{
    create_with_id_in, delete_in, get, incoming, read_row, select_columns, title_source, update_in,
};
use crate::{parse_ts, ts, Error, Result, Store};

/// The largest file imported at once.
pub const MAX_IMPORT_BYTES: usize = 50 * 1024 * 1024;
/// At most this many problems are listed; the count says how many there were.
const MAX_PROBLEMS: usize = 500;
/// Progress is reported after every this many rows.
pub const PROGRESS_EVERY: u32 = 25;

/// One problem in an imported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// Line in the file, 1 being the header.
    pub line: u64,
    /// The column's header, when the problem is in one cell.
    pub column: Option<String>,
    pub message: String,
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.column, self.line) {
            (_, 0) => f.write_str(&self.message),
            (Some(c), _) => write!(f, "line {}, column {c}: {}", self.line, self.message),
            (None, _) => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

/// The problems of a refused import, for [`Error::Import`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblems(pub Vec<ImportProblem>);

impl fmt::Display for ImportProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().take(20).enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        if self.0.len() > 20 {
            write!(f, "; and {} more", self.0.len() - 20)?;
        }
        Ok(())
    }
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
}

mod analyse;
mod read;
mod restore;
mod target;
mod write;

pub use analyse::MAX_LISTED_PROBLEMS;
use analyse::*;
pub use kto_core::import::cells::{ambiguous_amount, parse_amount, parse_bool, parse_date};
use kto_core::import::cells::{amount_in, column_notation, Notation};
use read::*;
pub use read::{inspect_file, inspect_import};
pub use restore::MAX_EXPORT_JSON_BYTES;
pub(crate) use target::target;
use write::*;

impl Store {
    /// What importing `bytes` with `request` would do: rows to create, duplicates of
    /// existing records, every problem by line and column. Writes nothing.
    pub fn preview_import(
        &self,
        request: &ImportRequest,
        bytes: &[u8],
        today: NaiveDate,
    ) -> Result<ImportPreview> {
        let spec = importable(request.kind)?;
        let sheet = read_rows(bytes, request.sheet.as_deref())?;
        let analysis = analyse(&self.conn, spec, &sheet, &request.mapping, today)?;
        let problem_count = analysis.issues.len() as u32;
        Ok(ImportPreview {
            rows: analysis.rows,
            create: analysis
                .planned
                .iter()
                .filter(|p| p.existing.is_none())
                .count() as u32,
            duplicates: analysis
                .planned
                .iter()
                .filter_map(|p| p.existing.clone())
                .collect(),
            invalid_rows: analysis.invalid_rows,
            problems: analysis.issues.into_iter().take(MAX_PROBLEMS).collect(),
            problem_count,
            blocked: analysis.blocked,
        })
    }

    /// Imports the valid rows of `bytes` with `request`'s mapping in one transaction: new
    /// records are created, duplicates merged or skipped as `choices` say (unlisted ones
    /// are skipped); rows with problems are left out and counted. `progress` is called
    /// every [`PROGRESS_EVERY`] rows; when `cancel` is set the transaction is rolled back
    /// and the outcome says `cancelled`. The import is remembered for
    /// [`Store::undo_last_import`].
    #[allow(clippy::too_many_arguments)]
    pub fn apply_import(
        &mut self,
        change: &Change,
        file_name: &str,
        request: &ImportRequest,
        bytes: &[u8],
        choices: &[ImportChoice],
        progress: &mut dyn FnMut(ImportProgress),
        cancel: &AtomicBool,
    ) -> Result<ImportOutcome> {
        let spec = importable(request.kind)?;
        let sheet = read_rows(bytes, request.sheet.as_deref())?;
        let tx = self.begin("importing records")?;
        let analysis = analyse(&tx, spec, &sheet, &request.mapping, change.at.date_naive())?;
        if analysis.blocked {
            return Err(Error::Import(problems_of(&analysis.issues)));
        }
        let merge: HashSet<u32> = choices
            .iter()
            .filter(|c| c.choice == DuplicateChoice::Merge)
            .map(|c| c.line)
            .collect();
        let choice = |line: u32| {
            if merge.contains(&line) {
                DuplicateChoice::Merge
            } else {
                DuplicateChoice::Skip
            }
        };
        let mut outcome = ImportOutcome {
            invalid: analysis.invalid_rows,
            ..ImportOutcome::default()
        };
        let Some(touched) = write_rows(
            &tx,
            change,
            spec,
            &analysis,
            &choice,
            progress,
            cancel,
            &mut outcome,
        )?
        else {
            // Dropping the transaction rolls every written row back.
            return Ok(ImportOutcome {
                cancelled: true,
                ..ImportOutcome::default()
            });
        };
        if !touched.is_empty() {
            outcome.batch_id = Some(record_batch(
                &tx, change, spec, file_name, &outcome, &touched,
            )?);
        }
        tx.commit().map_err(Error::sql("importing records"))?;
        Ok(outcome)
    }

    /// Imports CSV or workbook rows of a generic kind in one transaction, all or nothing:
    /// columns are matched on their headers and a column that matches no field is a
    /// problem; on any problem nothing is changed and [`Error::Import`] lists them (line,
    /// column, what is wrong). Rows that match an existing record (by id or the kind's
    /// natural key) update it. The import can be undone like any other.
    pub fn import_csv(
        &mut self,
        change: &Change,
        kind: RecordKind,
        bytes: &[u8],
    ) -> Result<ImportSummary> {
        let spec = importable(kind)?;
        // A workbook from "Export to Excel" holds every kind: the kind's own sheet.
        let own = crate::xlsx_sheet_name(spec);
        let sheet = read_rows(bytes, has_sheet(bytes, own).then_some(own))?;
        let mapping = auto_mapping(spec, &sheet.headers);
        let mut unknown = Vec::new();
        for h in &sheet.headers {
            if !h.trim().is_empty() && match_header(spec, h).is_none() {
                unknown.push(issue(
                    1,
                    Some(h),
                    None,
                    IssueKind::UnknownColumn,
                    format!(
                        "unknown column for {}; the columns are id, {}",
                        kind.code(),
                        spec.fields
                            .iter()
                            .map(|f| f.key)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
        let tx = self.begin("importing records")?;
        let analysis = analyse(&tx, spec, &sheet, &mapping, change.at.date_naive())?;
        unknown.extend(analysis.issues.iter().cloned());
        if !unknown.is_empty() {
            return Err(Error::Import(problems_of(&unknown)));
        }
        let mut outcome = ImportOutcome::default();
        let never = AtomicBool::new(false);
        let touched = write_rows(
            &tx,
            change,
            spec,
            &analysis,
            &|_| DuplicateChoice::Merge,
            &mut |_| {},
            &never,
            &mut outcome,
        )?
        .unwrap_or_default();
        if !touched.is_empty() {
            record_batch(&tx, change, spec, "kto import", &outcome, &touched)?;
        }
        tx.commit().map_err(Error::sql("importing records"))?;
        Ok(ImportSummary {
            created: outcome.created as usize,
            updated: outcome.updated as usize,
        })
    }

    /// The newest import that has not been undone.
    pub fn last_import(&self) -> Result<Option<ImportBatch>> {
        last_batch(&self.conn)
    }

    /// Undoes the newest import that has not been undone, in one transaction with history:
    /// deletes the records it created and gives those it changed their earlier values.
    /// Refused with [`Error::Conflict`], changing nothing, when one of them was changed
    /// after the import or another record now links to one it created.
    pub fn undo_last_import(&mut self, change: &Change) -> Result<UndoOutcome> {
        let tx = self.begin("undoing the import")?;
        let batch =
            last_batch(&tx)?.ok_or_else(|| Error::Conflict("there is no import to undo".into()))?;
        let spec = importable(batch.kind)?;
        let target = target(batch.kind);
        let title_of = |id: &str| target.title(&tx, spec, id);
        let entries: Vec<(String, String, Option<String>, String)> = tx
            .prepare(
                "SELECT record_id, action, previous, updated_at FROM import_batch_records
                 WHERE batch_id = ?1 ORDER BY position DESC",
            )
            .and_then(|mut s| {
                s.query_map([&batch.id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(Error::sql("reading the import"))?;
        let created: HashSet<&str> = entries
            .iter()
            .filter(|e| e.1 == "created")
            .map(|e| e.0.as_str())
            .collect();
        let refuse = |what: String| {
            Error::Conflict(format!(
                "the import of {} cannot be undone: {what}. Nothing was changed",
                batch.file_name
            ))
        };
        let mut outcome = UndoOutcome::default();
        for (id, action, _, after) in &entries {
            let now = updated_at(&tx, spec, id)?;
            match (action.as_str(), now) {
                ("created", None) => continue,
                (_, None) => {
                    return Err(refuse(format!(
                        "a record it changed ({id}) was deleted since"
                    )))
                }
                (_, Some(now)) if &now != after => {
                    let title = title_of(id)?;
                    return Err(refuse(format!("'{title}' was changed after the import")));
                }
                _ => {}
            }
            if action == "created" {
                if let Some(l) = incoming(&tx, batch.kind, id)?
                    .into_iter()
                    .find(|l| !created.contains(l.id.as_str()))
                {
                    let title = title_of(id)?;
                    return Err(refuse(format!(
                        "'{title}' is now linked from {} '{}'",
                        l.kind.code(),
                        l.title
                    )));
                }
            }
        }
        for (id, action, previous, _) in &entries {
            if action == "created" {
                if updated_at(&tx, spec, id)?.is_some() {
                    target.delete(&tx, change, spec, id)?;
                    outcome.deleted += 1;
                }
                continue;
            }
            let previous: Values = serde_json::from_str(previous.as_deref().unwrap_or("{}"))
                .map_err(|e| Error::Corrupt(format!("the remembered values of {id}: {e}")))?;
            target.update(&tx, change, spec, id, &previous)?;
            outcome.restored += 1;
        }
        tx.execute(
            "UPDATE import_batches SET undone_at = ?2 WHERE id = ?1",
            params![batch.id, ts(change.at)],
        )
        .map_err(Error::sql("undoing the import"))?;
        tx.commit().map_err(Error::sql("undoing the import"))?;
        Ok(outcome)
    }
}

fn last_batch(conn: &Connection) -> Result<Option<ImportBatch>> {
    /// The batch as stored; its kind and time are parsed after the statement.
    struct Stored {
        id: String,
        kind: String,
        file_name: String,
        imported_at: String,
        actor: String,
        created: u32,
        updated: u32,
    }
    let row = conn
        .query_row(
            "SELECT id, record_kind, file_name, imported_at, actor, created, updated
             FROM import_batches WHERE undone_at IS NULL
             ORDER BY imported_at DESC, rowid DESC LIMIT 1",
            [],
            |r| {
                Ok(Stored {
                    id: r.get("id")?,
                    kind: r.get("record_kind")?,
                    file_name: r.get("file_name")?,
                    imported_at: r.get("imported_at")?,
                    actor: r.get("actor")?,
                    created: r.get("created")?,
                    updated: r.get("updated")?,
                })
            },
        )
        .optional()
        .map_err(Error::sql("reading the last import"))?;
    let Some(b) = row else {
        return Ok(None);
    };
    Ok(Some(ImportBatch {
        id: b.id,
        kind: RecordKind::from_code(&b.kind)?,
        file_name: b.file_name,
        imported_at: parse_ts(&b.imported_at)?,
        actor: b.actor,
        created: b.created,
        updated: b.updated,
    }))
}
