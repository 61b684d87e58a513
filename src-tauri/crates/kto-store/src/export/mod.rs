//! The full export: one CSV file per record kind in the canonical format
//! (`docs/csv-format.md`) and one JSON file holding every table.
//!
//! The JSON file holds the office's data, every table as stored; the laptop's own
//! bookkeeping ([`LAPTOP_TABLES`], `sync.*` settings, and which audit chain this laptop
//! appends to) is not part of an export, so that an export imported into an empty office
//! ([`Store::import_export`]) exports again byte for byte.
//!
//! Generic kinds are written from their [`KindSpec`]: columns `id`, `createdAt`,
//! `updatedAt` and then the field keys in form order; money in euros with a point and two
//! decimals (`1234.56`), dates `YYYY-MM-DD`, flags `true`/`false`, empty cells for absent
//! values. The kinds with their own modules (disclosures and their
//! inventors, stages, deals) are written as stored, one column per table column, with
//! `*_cents` columns given in euros as `*_eur`.
//!
//! A full export is written into a hidden folder beside its target and moved into place
//! when complete, so that a cancelled or failed export leaves nothing behind.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use kto_core::activity::RecordKind;
use kto_core::backup::ExportProgress;
use kto_core::record::{self, FieldType, KindSpec};
use rusqlite::types::ValueRef;
use serde_json::{Map, Value as Json};

use crate::{Error, Result, Store};

mod xlsx;
pub use xlsx::{xlsx_sheet_name, INVENTORS_SHEET};

/// Format identifier written into the JSON export.
pub const EXPORT_FORMAT: &str = "kto-desk-export";
/// Version of the export format (the CSV headers and the JSON layout). Version 1 also held
/// [`LAPTOP_TABLES`]; an import skips them.
pub const EXPORT_VERSION: u32 = 2;
/// The JSON file of a full export.
pub const EXPORT_JSON_NAME: &str = "kto-desk-export.json";

/// Tables of the kinds with their own modules, exported as stored.
pub const TABLE_EXPORTS: &[&str] = &["disclosures", "disclosure_inventors", "stages", "deals"];

/// Tables that describe one laptop rather than the office: its sync state and the undo
/// record of its imports. They are neither exported nor imported.
pub const LAPTOP_TABLES: &[&str] = &[
    "sync_device",
    "sync_outbox",
    "sync_devices",
    "sync_applied",
    "sync_clock",
    "sync_conflicts",
    "import_batches",
    "import_batch_records",
];

/// Progress of a full export is reported after every this many rows of a file.
pub const EXPORT_PROGRESS_EVERY: usize = 100;

/// One file written by [`Store::export_all`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedFile {
    pub path: PathBuf,
    /// Data rows (CSV) or tables (JSON).
    pub rows: usize,
}

/// What an export to `dir` did, as the app reports it: the files written and the data rows
/// of its CSV files, or `cancelled` when `files` is `None` (nothing is left behind then).
pub fn export_outcome(
    dir: &Path,
    files: Option<&[ExportedFile]>,
) -> kto_core::backup::ExportOutcome {
    match files {
        Some(files) => kto_core::backup::ExportOutcome {
            folder: dir.display().to_string(),
            files: u32::try_from(files.len()).unwrap_or(u32::MAX),
            rows: files
                .iter()
                .filter(|f| f.path.extension().is_some_and(|e| e == "csv"))
                .map(|f| f.rows as u64)
                .sum(),
            cancelled: false,
        },
        None => kto_core::backup::ExportOutcome {
            cancelled: true,
            ..Default::default()
        },
    }
}

/// Cents as euros with a point: `123456` → `1234.56`, `-5` → `-0.05`.
pub fn euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// The characters that make a spreadsheet read a cell as a formula when it starts with one.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// True when `text`, after any leading `'`, starts as a formula would.
fn formula_like(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// A text cell as written to CSV: one that a spreadsheet would run as a formula (starting
/// with `=`, `+`, `-`, `@`, a tab or a carriage return, as OWASP lists them) gets a leading
/// `'`, which spreadsheets show as text and [`csv_unguard`] removes again on import. A cell
/// that already starts with `'` before such a character gets one more, so every value
/// comes back unchanged.
pub fn csv_guard(text: &str) -> std::borrow::Cow<'_, str> {
    if formula_like(text) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The value of a CSV cell written by [`csv_guard`].
pub fn csv_unguard(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.strip_prefix('\'') {
        Some(rest) if formula_like(rest) => std::borrow::Cow::Borrowed(rest),
        _ => std::borrow::Cow::Borrowed(cell),
    }
}

/// The UTF-8 byte-order mark every CSV file of an export starts with, so that Excel reads
/// its text as UTF-8 (without it, Excel reads `é` as `Ã©`). Every import skips it.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// A CSV writer of `out` that has written the byte-order mark.
fn csv_writer<W: Write>(mut out: W) -> Result<csv::Writer<W>> {
    out.write_all(UTF8_BOM)
        .map_err(|e| Error::file("write", Path::new("the CSV output"))(e))?;
    Ok(csv::Writer::from_writer(out))
}

fn csv_error(doing: &'static str) -> impl Fn(csv::Error) -> Error {
    move |e| Error::File {
        doing,
        path: PathBuf::from("the CSV output"),
        source: std::io::Error::other(e.to_string()),
    }
}

/// One cell of a generic kind's field, in the canonical text form.
fn cell(ty: FieldType, v: ValueRef<'_>) -> String {
    match (ty, v) {
        (_, ValueRef::Null) => String::new(),
        (FieldType::Money, ValueRef::Integer(c)) => euros(c),
        (FieldType::Bool, ValueRef::Integer(b)) => (b != 0).to_string(),
        (_, ValueRef::Integer(i)) => i.to_string(),
        (_, ValueRef::Real(f)) => f.to_string(),
        (_, ValueRef::Text(t)) => csv_guard(&String::from_utf8_lossy(t)).into_owned(),
        (_, ValueRef::Blob(_)) => String::new(),
    }
}

/// The header of a generic kind's CSV file.
pub fn csv_header(spec: &KindSpec) -> Vec<&'static str> {
    let mut h = vec!["id", "createdAt", "updatedAt"];
    h.extend(spec.fields.iter().map(|f| f.key));
    h
}

/// The file name of a kind's CSV file: its table name.
pub fn csv_file_name(spec: &KindSpec) -> String {
    format!("{}.csv", spec.table)
}

/// The table's column names in order.
fn columns(conn: &rusqlite::Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")
        .map_err(Error::sql("reading the table layout"))?;
    let cols = stmt
        .query_map([table], |r| r.get::<_, String>(0))
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(Error::sql("reading the table layout"))?;
    Ok(cols)
}

/// Tables whose rows are the office's data: all but SQLite's own, the search index (rebuilt
/// from the records) and [`LAPTOP_TABLES`].
pub(crate) fn office_tables(conn: &rusqlite::Connection) -> Result<Vec<String>> {
    Ok(data_tables(conn)?
        .into_iter()
        .filter(|t| !LAPTOP_TABLES.contains(&t.as_str()))
        .collect())
}

/// The rows of `table` an export holds, in a fixed order: every row as stored, but for
/// the settings without this laptop's `sync.*` ones, and the audit chains that hold
/// history, without the flag that says which one this laptop appends to.
fn json_select(table: &str) -> String {
    match table {
        "settings" => "SELECT * FROM settings WHERE key NOT LIKE 'sync.%' ORDER BY key".into(),
        "audit_chains" => "SELECT chain, sealed_after FROM audit_chains
                            WHERE chain IN (SELECT chain FROM audit_chain) ORDER BY chain"
            .into(),
        _ => format!("SELECT * FROM \"{table}\" ORDER BY rowid"),
    }
}

/// Every table but SQLite's own and the search index.
fn data_tables(conn: &rusqlite::Connection) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table'
               AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_%'
             ORDER BY name",
        )
        .map_err(Error::sql("listing the tables"))?;
    let names = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(Error::sql("listing the tables"))?;
    Ok(names)
}

impl Store {
    /// Writes every record of a generic kind as canonical CSV; returns the row count.
    pub fn export_kind_csv<W: Write>(&self, kind: RecordKind, out: W) -> Result<usize> {
        Ok(self.write_kind_csv(kind, out, &mut |_| true)?.unwrap_or(0))
    }

    /// [`Store::export_kind_csv`] calling `go_on` with the rows written after each row;
    /// stops with `None` when it answers false.
    fn write_kind_csv<W: Write>(
        &self,
        kind: RecordKind,
        out: W,
        go_on: &mut dyn FnMut(usize) -> bool,
    ) -> Result<Option<usize>> {
        let spec = record::spec(kind).ok_or_else(|| {
            Error::Conflict(format!(
                "{} records are exported as stored, not as a generic kind",
                kind.code()
            ))
        })?;
        let mut w = csv_writer(out)?;
        w.write_record(csv_header(spec))
            .map_err(csv_error("write"))?;
        let cols: Vec<&str> = spec.fields.iter().map(|f| f.column).collect();
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT id, created_at, updated_at, {} FROM {} ORDER BY created_at, id",
                cols.join(", "),
                spec.table
            ))
            .map_err(Error::sql("exporting records"))?;
        let mut rows = stmt.query([]).map_err(Error::sql("exporting records"))?;
        let mut n = 0;
        while let Some(r) = rows.next().map_err(Error::sql("exporting records"))? {
            let mut line = Vec::with_capacity(cols.len() + 3);
            for i in 0..3 {
                line.push(cell(
                    FieldType::Text { max: 0 },
                    r.get_ref(i).map_err(Error::sql("exporting records"))?,
                ));
            }
            for (i, f) in spec.fields.iter().enumerate() {
                line.push(cell(
                    f.ty,
                    r.get_ref(i + 3).map_err(Error::sql("exporting records"))?,
                ));
            }
            w.write_record(&line).map_err(csv_error("write"))?;
            n += 1;
            if !go_on(n) {
                return Ok(None);
            }
        }
        w.flush()
            .map_err(|e| Error::file("write", Path::new("the CSV output"))(e))?;
        Ok(Some(n))
    }

    /// Writes one table as stored, `*_cents` columns as euros named `*_eur`.
    pub fn export_table_csv<W: Write>(&self, table: &str, out: W) -> Result<usize> {
        Ok(self
            .write_table_csv(table, out, &mut |_| true)?
            .unwrap_or(0))
    }

    /// [`Store::export_table_csv`] calling `go_on` with the rows written after each row;
    /// stops with `None` when it answers false.
    fn write_table_csv<W: Write>(
        &self,
        table: &str,
        out: W,
        go_on: &mut dyn FnMut(usize) -> bool,
    ) -> Result<Option<usize>> {
        if !TABLE_EXPORTS.contains(&table) {
            return Err(Error::Conflict(format!("{table} is not an exported table")));
        }
        let cols = columns(&self.conn, table)?;
        let mut w = csv_writer(out)?;
        let header: Vec<String> = cols
            .iter()
            .map(|c| match c.strip_suffix("_cents") {
                Some(base) => format!("{base}_eur"),
                None => c.clone(),
            })
            .collect();
        w.write_record(&header).map_err(csv_error("write"))?;
        // Every exported table has an id except the inventors (WITHOUT ROWID, keyed by both ids).
        let order = if cols.iter().any(|c| c == "id") {
            "id"
        } else {
            "1, 2"
        };
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY {order}"))
            .map_err(Error::sql("exporting records"))?;
        let mut rows = stmt.query([]).map_err(Error::sql("exporting records"))?;
        let mut n = 0;
        while let Some(r) = rows.next().map_err(Error::sql("exporting records"))? {
            let mut line = Vec::with_capacity(cols.len());
            for (i, c) in cols.iter().enumerate() {
                let ty = if c.ends_with("_cents") {
                    FieldType::Money
                } else {
                    FieldType::Text { max: 0 }
                };
                line.push(cell(
                    ty,
                    r.get_ref(i).map_err(Error::sql("exporting records"))?,
                ));
            }
            w.write_record(&line).map_err(csv_error("write"))?;
            n += 1;
            if !go_on(n) {
                return Ok(None);
            }
        }
        w.flush()
            .map_err(|e| Error::file("write", Path::new("the CSV output"))(e))?;
        Ok(Some(n))
    }

    /// The office's tables as JSON: `{format, version, schemaVersion, tables: {name: [row]}}`
    /// with each row an object of its columns as stored (money in cents, blobs in hex). Returns the
    /// number of tables.
    pub fn export_json<W: Write>(&self, out: W) -> Result<usize> {
        Ok(self.write_json(out, &mut |_| true)?.unwrap_or(0))
    }

    /// [`Store::export_json`] calling `go_on` with the rows read after each row; stops
    /// with `None` when it answers false.
    fn write_json<W: Write>(
        &self,
        out: W,
        go_on: &mut dyn FnMut(usize) -> bool,
    ) -> Result<Option<usize>> {
        let mut tables = Map::new();
        let mut read = 0;
        for table in office_tables(&self.conn)? {
            let mut stmt = self
                .conn
                .prepare(&json_select(&table))
                // WITHOUT ROWID tables: by their two key columns.
                .or_else(|_| {
                    self.conn
                        .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY 1, 2"))
                })
                .map_err(Error::sql("exporting records"))?;
            let cols: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
            let mut rows = stmt.query([]).map_err(Error::sql("exporting records"))?;
            let mut list = Vec::new();
            while let Some(r) = rows.next().map_err(Error::sql("exporting records"))? {
                let mut obj = Map::new();
                for (i, c) in cols.iter().enumerate() {
                    let v = match r.get_ref(i).map_err(Error::sql("exporting records"))? {
                        ValueRef::Null => Json::Null,
                        ValueRef::Integer(n) => Json::from(n),
                        ValueRef::Real(f) => Json::from(f),
                        ValueRef::Text(t) => Json::from(String::from_utf8_lossy(t).into_owned()),
                        ValueRef::Blob(b) => {
                            Json::from(b.iter().map(|x| format!("{x:02x}")).collect::<String>())
                        }
                    };
                    obj.insert(c.clone(), v);
                }
                list.push(Json::Object(obj));
                read += 1;
                if !go_on(read) {
                    return Ok(None);
                }
            }
            tables.insert(table, Json::Array(list));
        }
        let n = tables.len();
        let doc = serde_json::json!({
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "schemaVersion": self.schema_version()?,
            "tables": tables,
        });
        serde_json::to_writer_pretty(out, &doc)
            .map_err(|e| Error::file("write", Path::new(EXPORT_JSON_NAME))(e.into()))?;
        Ok(Some(n))
    }

    /// The full export into `dir` (created when missing): a CSV file per kind,
    /// [`EXPORT_JSON_NAME`] and the attachments as files. Runs the integrity check first,
    /// and never overwrites: when a file it would write exists, nothing is written.
    pub fn export_all(&self, dir: &Path) -> Result<Vec<ExportedFile>> {
        let never = AtomicBool::new(false);
        Ok(self
            .export_all_with(dir, &mut |_| {}, &never)?
            .unwrap_or_default())
    }

    /// [`Store::export_all`] reporting its progress per file and every
    /// [`EXPORT_PROGRESS_EVERY`] rows, and stopping when `cancel` is set. The files are
    /// written into a hidden folder beside `dir` and moved into `dir` only when all are
    /// written; a cancelled export (`None`) or a failed one removes that folder and leaves
    /// `dir` as it was.
    pub fn export_all_with(
        &self,
        dir: &Path,
        progress: &mut dyn FnMut(ExportProgress),
        cancel: &AtomicBool,
    ) -> Result<Option<Vec<ExportedFile>>> {
        self.integrity_check()?;
        let attachment_ids: Vec<String> = self
            .conn
            .prepare("SELECT id FROM attachments ORDER BY added_at, id")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .map_err(Error::sql("listing attachments"))?;
        let mut names: Vec<String> = TABLE_EXPORTS.iter().map(|t| format!("{t}.csv")).collect();
        names.extend(record::KINDS.iter().map(csv_file_name));
        names.push(EXPORT_JSON_NAME.to_string());
        if !attachment_ids.is_empty() {
            names.push("attachments".to_string());
        }
        if let Some(existing) = names.iter().map(|n| dir.join(n)).find(|p| p.exists()) {
            return Err(Error::Conflict(format!(
                "`{}` already exists; an export never overwrites files. Choose an empty folder",
                existing.display()
            )));
        }
        let tmp = export_temp_beside(dir)?;
        if tmp.exists() {
            // Left by an export that was killed; it is never a finished export.
            fs::remove_dir_all(&tmp).map_err(Error::file("remove the unfinished export", &tmp))?;
        }
        fs::create_dir_all(&tmp).map_err(Error::file("create the export folder", &tmp))?;
        let written = self.write_export(&tmp, &attachment_ids, names.len(), progress, cancel);
        let files = match written {
            Ok(Some(files)) => files,
            other => {
                // Cancelled or failed: nothing of it stays.
                let _ = fs::remove_dir_all(&tmp);
                return other;
            }
        };
        if let Err(e) = move_into_place(&tmp, dir) {
            let _ = fs::remove_dir_all(&tmp);
            return Err(e);
        }
        Ok(Some(
            files
                .into_iter()
                .map(|f| ExportedFile {
                    path: dir.join(f.path.strip_prefix(&tmp).unwrap_or(&f.path)),
                    rows: f.rows,
                })
                .collect(),
        ))
    }

    /// Writes every file of the export into `tmp`; `None` when cancelled.
    fn write_export(
        &self,
        tmp: &Path,
        attachment_ids: &[String],
        parts: usize,
        progress: &mut dyn FnMut(ExportProgress),
        cancel: &AtomicBool,
    ) -> Result<Option<Vec<ExportedFile>>> {
        let parts = parts as u32;
        let create = |name: &str| {
            let path = tmp.join(name);
            fs::File::create(&path)
                .map(std::io::BufWriter::new)
                .map_err(Error::file("create", &path))
                .map(|f| (path, f))
        };
        let mut t = Ticker {
            progress,
            cancel,
            part: String::new(),
            done: 0,
            parts,
        };
        let mut out = Vec::new();
        for table in TABLE_EXPORTS {
            let name = format!("{table}.csv");
            let (path, f) = create(&name)?;
            if !t.start(name) {
                return Ok(None);
            }
            let Some(rows) = self.write_table_csv(table, f, &mut |n| t.tick(n))? else {
                return Ok(None);
            };
            out.push(ExportedFile { path, rows });
            t.done += 1;
        }
        for spec in &record::KINDS {
            let name = csv_file_name(spec);
            let (path, f) = create(&name)?;
            if !t.start(name) {
                return Ok(None);
            }
            let Some(rows) = self.write_kind_csv(spec.kind, f, &mut |n| t.tick(n))? else {
                return Ok(None);
            };
            out.push(ExportedFile { path, rows });
            t.done += 1;
        }
        // The files kept with records, as files: attachments/<attachment id>/<file name>.
        if !attachment_ids.is_empty() {
            if !t.start("attachments".to_string()) {
                return Ok(None);
            }
            for (n, id) in attachment_ids.iter().enumerate() {
                // The name is cleaned again and kept inside the folder, whatever is stored.
                let path = self.write_attachment_copy(id, &tmp.join("attachments"))?;
                out.push(ExportedFile { path, rows: 1 });
                if !t.tick(n + 1) {
                    return Ok(None);
                }
            }
            t.done += 1;
        }
        let (path, mut f) = create(EXPORT_JSON_NAME)?;
        if !t.start(EXPORT_JSON_NAME.to_string()) {
            return Ok(None);
        }
        let Some(rows) = self.write_json(&mut f, &mut |n| t.tick(n))? else {
            return Ok(None);
        };
        f.flush().map_err(Error::file("write", &path))?;
        out.push(ExportedFile { path, rows });
        t.done += 1;
        if cancel.load(Ordering::SeqCst) {
            return Ok(None);
        }
        t.start(String::new());
        Ok(Some(out))
    }
}

/// Reports a full export's progress and says whether to go on.
struct Ticker<'a> {
    progress: &'a mut dyn FnMut(ExportProgress),
    cancel: &'a AtomicBool,
    /// The file being written.
    part: String,
    /// Files finished.
    done: u32,
    parts: u32,
}

impl Ticker<'_> {
    /// Starts the file `part` (empty when all are written); false once cancelled.
    fn start(&mut self, part: String) -> bool {
        self.part = part;
        self.tick(0)
    }

    /// Called with the rows of the current file written so far: reports them every
    /// [`EXPORT_PROGRESS_EVERY`] rows (and at 0) and answers false once cancelled.
    fn tick(&mut self, rows: usize) -> bool {
        if rows.is_multiple_of(EXPORT_PROGRESS_EVERY) {
            (self.progress)(ExportProgress {
                part: self.part.clone(),
                done: self.done,
                parts: self.parts,
                rows: rows as u32,
            });
        }
        !self.cancel.load(Ordering::SeqCst)
    }
}

/// The hidden folder an export into `dir` is written in: `.NAME.export.tmp` beside it.
fn export_temp_beside(dir: &Path) -> Result<PathBuf> {
    let full = if dir.exists() {
        fs::canonicalize(dir).map_err(Error::file("find the export folder", dir))?
    } else {
        dir.to_path_buf()
    };
    let name = full.file_name().ok_or_else(|| {
        Error::Conflict(format!(
            "`{}` cannot hold an export; choose a folder by its name",
            dir.display()
        ))
    })?;
    let mut tmp = std::ffi::OsString::from(".");
    tmp.push(name);
    tmp.push(".export.tmp");
    Ok(full.with_file_name(tmp))
}

/// Moves a finished export from `tmp` to `dir`: the folder itself when `dir` does not
/// exist, otherwise each of its entries (none of which exists in `dir`).
fn move_into_place(tmp: &Path, dir: &Path) -> Result<()> {
    if !dir.exists() {
        return fs::rename(tmp, dir).map_err(Error::file("move the finished export to", dir));
    }
    let entries: Vec<PathBuf> = fs::read_dir(tmp)
        .and_then(|d| d.map(|e| e.map(|e| e.path())).collect())
        .map_err(Error::file("read the finished export", tmp))?;
    for from in entries {
        let to = dir.join(from.file_name().unwrap_or_default());
        fs::rename(&from, &to).map_err(Error::file("move the finished export to", &to))?;
    }
    fs::remove_dir(tmp).map_err(Error::file("remove the emptied folder", tmp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euros_have_a_point_and_two_decimals() {
        assert_eq!(euros(0), "0.00");
        assert_eq!(euros(5), "0.05");
        assert_eq!(euros(123_456), "1234.56");
        assert_eq!(euros(-5), "-0.05");
        assert_eq!(euros(i64::MIN), "-92233720368547758.08");
    }
}
