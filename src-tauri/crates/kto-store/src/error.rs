//! Errors of the store. Messages say what was being attempted and, where the user can act,
//! what to do.

use std::path::PathBuf;

use kto_core::validation::ValidationErrors;

/// What can go wrong reading or writing the office database.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("could not open the database at {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "this database was made by a newer version of KTO Desk (schema version {found}; this \
         version knows up to {supported}). Install the newer version, or open another data folder."
    )]
    NewerSchema { found: u32, supported: u32 },
    #[error("this file is not a KTO Desk database (application id {found:#x}); choose the office's kto-desk.sqlite3")]
    NotKtoDesk { found: i64 },
    #[error(
        "the database failed its integrity check ({0}). It was left untouched; restore a backup."
    )]
    Damaged(String),
    #[error("migration {version} could not be applied, nothing was changed: {source}")]
    Migration {
        version: u32,
        source: rusqlite::Error,
    },
    #[error("{what} {id} was not found; it may have been deleted")]
    NotFound { what: &'static str, id: String },
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    #[error("{0}")]
    Conflict(String),
    #[error("stored data could not be read ({0}); run an integrity check or restore a backup")]
    Corrupt(String),
    #[error("database error while {doing}: {source}")]
    Sql {
        doing: &'static str,
        source: rusqlite::Error,
    },
    #[error(transparent)]
    Domain(#[from] kto_core::Error),
    #[error("could not {doing} `{}`: {source}; check that the folder exists, is writable and has free space", path.display())]
    File {
        doing: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the backup `{}` cannot be used: {reason}. Nothing was changed; choose another backup", path.display())]
    BadBackup { path: PathBuf, reason: String },
    #[error("the export `{}` cannot be imported: {reason}. Nothing was changed", path.display())]
    BadExport { path: PathBuf, reason: String },
    #[error("{0}")]
    Sync(String),
    #[error("the file was not imported, nothing was changed: {0}")]
    Import(crate::import::ImportProblems),
}

impl Error {
    /// Wraps a SQLite error with what was being done: `.map_err(Error::sql("saving"))`.
    pub fn sql(doing: &'static str) -> impl FnOnce(rusqlite::Error) -> Error {
        move |source| Error::Sql { doing, source }
    }

    /// Wraps a file-system error with what was being done and to which file.
    pub fn file(
        doing: &'static str,
        path: &std::path::Path,
    ) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.to_path_buf();
        move |source| Error::File {
            doing,
            path,
            source,
        }
    }
}

/// Result with the store error.
pub type Result<T> = std::result::Result<T, Error>;
