//! Backups of the office database and the audit chain's verdict, as plain data for the UI
//! and the CLI. Making, checking and restoring them is `kto-store`'s work.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Why a backup was made; automatic ones are rotated, the others are kept until removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum BackupKind {
    /// Made once a day at start-up; seven daily and four weekly generations are kept.
    Auto,
    /// Made on request ("Back up now", `kto backup`).
    Manual,
    /// Made of the live database just before a restore replaced it.
    BeforeRestore,
}

impl BackupKind {
    /// The word in the file name (`kto-desk-<code>-YYYYMMDD-HHMMSS.sqlite3`).
    pub fn code(self) -> &'static str {
        match self {
            BackupKind::Auto => "auto",
            BackupKind::Manual => "manual",
            BackupKind::BeforeRestore => "before-restore",
        }
    }

    /// Parses the word in a file name.
    pub fn from_code(code: &str) -> Option<Self> {
        [
            BackupKind::Auto,
            BackupKind::Manual,
            BackupKind::BeforeRestore,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }
}

/// One backup file in the backup folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct BackupInfo {
    /// The file name; the handle the UI passes back to restore it.
    pub name: String,
    pub kind: BackupKind,
    /// When it was made (from its name).
    pub created_at: DateTime<Utc>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size_bytes: u64,
}

/// The verdict of walking the audit chain of the activity history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AuditReport {
    /// History entries checked.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub entries: u64,
    /// The first entry whose hash does not match (edited, deleted before it, or unhashed).
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub first_broken: Option<i64>,
    /// What is wrong with `first_broken`, in a sentence.
    pub problem: Option<String>,
}

impl AuditReport {
    /// True when every entry carries the hash its predecessor and its fields give.
    pub fn intact(&self) -> bool {
        self.first_broken.is_none()
    }
}

/// The backups the app offers, and whether it runs in safe mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct BackupList {
    /// Newest first.
    pub backups: Vec<BackupInfo>,
    /// The folder they are in.
    pub folder: String,
    /// True when the database failed its check at start-up (safe mode): restoring then
    /// first moves the damaged file aside.
    pub damaged: bool,
    /// In safe mode, the newest backup that passes the integrity check.
    pub newest_good: Option<String>,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RestoreOutcome {
    /// The backup now in use.
    pub restored: String,
    /// Where the damaged database was moved (safe mode).
    pub moved_aside: Option<String>,
    /// The backup made of the replaced database just before (normal mode).
    pub safety_backup: Option<String>,
}

/// How far a full export has got: the file being written, its place among all the files,
/// and the rows written to it so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ExportProgress {
    /// The file's name, such as `patents.csv`.
    pub part: String,
    /// Files finished before this one.
    pub done: u32,
    /// Files the export writes (attachments counted as one).
    pub parts: u32,
    /// Rows of this file written so far.
    pub rows: u32,
}

/// What a full export wrote. When `cancelled`, nothing was left behind and the counts are
/// zero.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ExportOutcome {
    /// The folder holding the export.
    pub folder: String,
    /// Files written (each CSV file, the JSON file and each attachment).
    pub files: u32,
    /// Data rows written to the CSV files.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rows: u64,
    pub cancelled: bool,
}

/// A portable backup saved where the user chose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SavedBackup {
    pub path: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size_bytes: u64,
}

/// Where the export and the portable backup go unless the user chooses otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ExportTargets {
    /// A folder that does not exist yet, such as `~/Documents/KTO Desk export 2026-11-28`.
    pub export_folder: String,
    /// A file that does not exist yet, such as `~/Documents/KTO Desk backup 2026-11-28.sqlite3`.
    pub backup_file: String,
}
