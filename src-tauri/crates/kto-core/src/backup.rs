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

/// The head of one audit chain at a moment, kept outside the database (in a backup's
/// sidecar, in the signature of a monitor submission) so that a history cut short or
/// rewritten later no longer matches it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AuditAnchor {
    /// The chain's id: 32 hex digits, one chain per device that writes history.
    pub chain: String,
    /// The sequence number of the chain's newest entry.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seq: i64,
    /// That entry's hash, 64 lower-case hex digits.
    pub head: String,
}

impl AuditAnchor {
    /// The anchor as one line of text, `CHAIN:SEQ:HEAD`, as it is written into a trusted
    /// signature comment.
    pub fn to_text(&self) -> String {
        format!("{}:{}:{}", self.chain, self.seq, self.head)
    }

    /// Parses [`AuditAnchor::to_text`]; `None` for anything else.
    pub fn from_text(text: &str) -> Option<Self> {
        let mut parts = text.trim().split(':');
        let (chain, seq, head) = (parts.next()?, parts.next()?, parts.next()?);
        let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
        if parts.next().is_some() || !hex(chain, 32) || !hex(head, 64) {
            return None;
        }
        Some(AuditAnchor {
            chain: chain.to_ascii_lowercase(),
            seq: seq.parse().ok().filter(|s: &i64| *s >= 0)?,
            head: head.to_ascii_lowercase(),
        })
    }
}

/// An anchor and where it was found, for [`AuditReport`] to name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FoundAnchor {
    pub anchor: AuditAnchor,
    /// Where it was read, such as `backups/kto-desk-auto-20261128-090000000.sqlite3.json`.
    pub source: String,
    /// True when a signature by the office's key covers it.
    pub signed: bool,
    /// When it was taken, where its source says so.
    pub taken_at: Option<DateTime<Utc>>,
}

/// The verdict of walking the audit chain of the activity history.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
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
    /// Record rows compared with the newest entry of their history.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub records: u64,
    /// Anchors outside the database the chain was compared with.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub anchors: u64,
    /// Everything else found wrong (schema, triggers, records, anchors), one sentence
    /// each, at most [`AuditReport::MAX_FINDINGS`] of them.
    pub findings: Vec<String>,
    /// Findings beyond the first [`AuditReport::MAX_FINDINGS`].
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub more_findings: u64,
}

impl AuditReport {
    /// The findings listed one by one; the rest are counted.
    pub const MAX_FINDINGS: usize = 50;

    /// True when every entry carries the hash its predecessor and its fields give, the
    /// schema and its triggers are as the migrations made them, every record matches its
    /// history and every anchor is still in the chain.
    pub fn intact(&self) -> bool {
        self.first_broken.is_none() && self.findings.is_empty()
    }

    /// Every problem in a sentence: the break of the chain first, then the findings, then
    /// how many more there were. Empty when [`AuditReport::intact`].
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(seq) = self.first_broken {
            out.push(format!(
                "the audit chain is broken at history entry {seq}: {}",
                self.problem.as_deref().unwrap_or("its hash does not match")
            ));
        }
        out.extend(self.findings.iter().cloned());
        if self.more_findings > 0 {
            out.push(format!("and {} more", self.more_findings));
        }
        out
    }

    /// Adds a finding, counting it once the list is full.
    pub fn find(&mut self, finding: String) {
        if self.findings.len() < Self::MAX_FINDINGS {
            self.findings.push(finding);
        } else {
            self.more_findings += 1;
        }
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

/// A workbook written by "Export to Excel".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct WorkbookExported {
    pub path: String,
    /// Records of every kind written.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub records: u64,
}

/// What importing a whole export into an empty office brought in.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ImportedExport {
    /// The folder the export was read from.
    pub folder: String,
    /// Records of every kind.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub records: u64,
    /// History entries (changes and notes).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub history: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub attachments: u64,
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
    /// A file that does not exist yet, such as `~/Documents/KTO Desk deadlines 2026-11-28.ics`.
    pub calendar_file: String,
    /// A file that does not exist yet, such as `~/Documents/KTO Desk export 2026-11-28.xlsx`.
    pub workbook_file: String,
}

impl ExportTargets {
    /// The export folder, backup file and calendar file in `folder`, named with `date`.
    pub fn dated(folder: &std::path::Path, date: chrono::NaiveDate) -> Self {
        let date = date.format("%Y-%m-%d");
        let export = folder.join(format!("KTO Desk export {date}"));
        let backup = folder.join(format!("KTO Desk backup {date}.sqlite3"));
        let calendar = folder.join(format!("KTO Desk deadlines {date}.ics"));
        let workbook = folder.join(format!("KTO Desk export {date}.xlsx"));
        ExportTargets {
            export_folder: export.display().to_string(),
            backup_file: backup.display().to_string(),
            calendar_file: calendar.display().to_string(),
            workbook_file: workbook.display().to_string(),
        }
    }
}
