//! KTO Desk's storage: one SQLite file per office (`kto-desk.sqlite3`).
//!
//! Owns opening, configuring, checking and migrating the database, and every query. It
//! returns `kto-core` types and never depends on Tauri, so the CLI and tests use it as is.
//! Every write runs in one transaction together with its activity history and its
//! search-index entry: a change is stored whole or not at all.

mod attachments;
mod audit;
mod backup;
mod calendar;
mod check;
mod deadlines;
mod deals;
mod demo;

mod disclosures;
mod error;
mod export;
mod history;
mod import;
mod import_typed;
mod monitor;
mod parties;
mod records;
mod schema;
mod search;
mod settings;
mod sync;
mod terms;

pub use attachments::safe_file_name;
pub use backup::{
    auto_backup, auto_backup_due, backup_anchors, backup_file_name, backups_to_prune, check_backup,
    list_backups, move_aside, newest_good_backup, prepare_restore, read_sidecar,
    remove_stale_temps, restore, rotate_backups, sidecar_path, Checksum, PreparedRestore, Sidecar,
    BACKUP_DIR_NAME, KEEP_DAILY, KEEP_WEEKLY, RESTORE_RECORD, SIDECAR_SUFFIX,
};
pub use calendar::CALENDAR_AHEAD_MONTHS;
pub use check::{StartupCheck, StartupCheckHandle};
pub use deals::CARDS_PER_COLUMN;
pub use demo::DemoCounts;
pub use disclosures::MAX_PAGE;
pub use error::{Error, Result};
pub use export::{
    csv_file_name, csv_guard, csv_header, csv_unguard, euros, export_outcome, xlsx_sheet_name,
    ExportedFile, EXPORT_FORMAT, EXPORT_JSON_NAME, EXPORT_PROGRESS_EVERY, EXPORT_VERSION,
    INVENTORS_SHEET, LAPTOP_TABLES, TABLE_EXPORTS,
};
pub use import::{
    ambiguous_amount, inspect_file, inspect_import, parse_amount, parse_bool,
    parse_date as parse_import_date, ImportProblem, ImportProblems, ImportSummary,
    MAX_EXPORT_JSON_BYTES, MAX_IMPORT_BYTES, MAX_LISTED_PROBLEMS, PROGRESS_EVERY,
};
pub use monitor::{NewSigningKey, NewSubmission, MONITOR_YEARS};
pub use records::MAX_RECORD_PAGE;
pub use records::VIEW_PIPELINE;
pub use schema::{migrate_to, LATEST_VERSION, MIGRATIONS};
pub use sync::{Write, SYNC_DIR_NAME};
pub use terms::{CapTablePlan, LessonProgress, SpinOffTerms};

use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// The database file's name inside the data folder.
pub const DB_FILE_NAME: &str = "kto-desk.sqlite3";

/// An open office database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// The start-up check still running beside this store, if it was opened so.
    check: Option<std::sync::Arc<check::BackgroundCheck>>,
}

impl Store {
    /// Opens (creating if needed) the database at `path`: configures the connection, runs
    /// `quick_check` on an existing file, refuses a file made by a newer version, and
    /// applies pending migrations.
    pub fn open(path: &Path) -> Result<Store> {
        let existed = path.metadata().map(|m| m.len() > 0).unwrap_or(false);
        let conn = Connection::open(path).map_err(|source| Error::Open {
            path: path.to_path_buf(),
            source,
        })?;
        let mut store = Store {
            conn,
            path: Some(path.to_path_buf()),
            check: None,
        };
        // Check before configuring: switching to WAL would already write to a file that
        // is damaged, foreign or from a newer version.
        if existed {
            schema::check_file(&store.conn)?;
            schema::refuse_newer(&store.conn)?;
        }
        schema::configure(&store.conn)?;
        schema::migrate(&mut store.conn)?;
        Ok(store)
    }

    /// A fresh database in memory, fully migrated: for tests and the sandbox.
    pub fn open_in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory().map_err(|source| Error::Open {
            path: PathBuf::from(":memory:"),
            source,
        })?;
        schema::configure(&conn)?;
        schema::migrate(&mut conn)?;
        Ok(Store {
            conn,
            path: None,
            check: None,
        })
    }

    /// The file this store was opened from (`None` in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<u32> {
        schema::user_version(&self.conn)
    }

    /// True when the office holds no records at all (a fresh install).
    pub fn is_empty(&self) -> Result<bool> {
        let n: i64 = self
            .conn
            .query_row(
                "SELECT (SELECT count(*) FROM disclosures) + (SELECT count(*) FROM people)
                      + (SELECT count(*) FROM organisations) + (SELECT count(*) FROM deals)
                      + (SELECT count(*) FROM patents) + (SELECT count(*) FROM agreements)",
                [],
                |r| r.get(0),
            )
            .map_err(Error::sql("counting records"))?;
        Ok(n == 0)
    }

    /// Runs SQLite's full `integrity_check`; `Ok(())` when the file is sound.
    pub fn integrity_check(&self) -> Result<()> {
        schema::integrity_check(&self.conn)
    }
}

/// Formats a timestamp the way every table stores it: RFC 3339, UTC, milliseconds.
fn ts(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Parses a stored timestamp.
fn parse_ts(s: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&chrono::Utc))
        .map_err(|e| Error::Corrupt(format!("timestamp '{s}': {e}")))
}

/// Parses a stored date (`YYYY-MM-DD`).
fn parse_date(s: &str) -> Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| Error::Corrupt(format!("date '{s}': {e}")))
}

/// The column `name` of a row, by name (never by position, so a reordered SELECT cannot
/// swap two fields).
fn col<T: rusqlite::types::FromSql>(r: &rusqlite::Row<'_>, name: &'static str) -> Result<T> {
    r.get(name)
        .map_err(Error::sql("reading a row by its column names"))
}

/// A stored optional value parsed with `parse` (a date, an id, a code).
fn col_parsed<T>(
    r: &rusqlite::Row<'_>,
    name: &'static str,
    parse: impl FnOnce(&str) -> Result<T>,
) -> Result<Option<T>> {
    col::<Option<String>>(r, name)?
        .as_deref()
        .map(parse)
        .transpose()
}

/// The one row `sql` finds for `params`, converted by `convert`; `None` when there is none.
fn one_row<T>(
    conn: &rusqlite::Connection,
    sql: &str,
    params: impl rusqlite::Params,
    doing: &'static str,
    convert: impl FnOnce(&rusqlite::Row<'_>) -> Result<T>,
) -> Result<Option<T>> {
    let mut stmt = conn.prepare_cached(sql).map_err(Error::sql(doing))?;
    let mut rows = stmt.query(params).map_err(Error::sql(doing))?;
    match rows.next().map_err(Error::sql(doing))? {
        Some(r) => convert(r).map(Some),
        None => Ok(None),
    }
}

/// Parses a stored UUID.
fn parse_id<T: std::str::FromStr>(s: &str) -> Result<T> {
    s.parse()
        .map_err(|_| Error::Corrupt(format!("record id '{s}' is not a UUID")))
}
