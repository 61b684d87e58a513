//! One office out of several laptops: what the sync of a shared folder reports, as plain
//! data for the UI and the CLI. Recording, writing and applying changes is `kto-store`'s
//! work (its `sync` module).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SyncReport {
    /// Files of this laptop's own changes written to the folder.
    pub written: u32,
    /// Files of other laptops applied here.
    pub applied: u32,
    /// New conflicts found while applying.
    pub conflicts: u32,
    /// Files that were not applied, each with its reason; they are read again next time.
    pub problems: Vec<SyncProblem>,
    /// When the sync ran.
    pub at: DateTime<Utc>,
}

/// A file of the shared folder that was not applied, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SyncProblem {
    /// The file, relative to the shared folder.
    pub file: String,
    /// What is wrong with it, in a sentence.
    pub reason: String,
    /// True when the file will be tried again (it waits for another file, or for a newer
    /// KTO Desk); false when it is damaged and ignored.
    pub waiting: bool,
}

/// Where this laptop stands in its office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SyncStatus {
    /// This laptop's device id (its audit chain).
    pub device: String,
    /// The user's name on this laptop.
    pub name: String,
    /// The letters this laptop's disclosure references end with; `None` until it syncs.
    pub code: Option<String>,
    /// Changes made here so far (the newest number of this laptop's change files).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub changes: i64,
    /// The other laptops whose changes are in this office.
    pub devices: Vec<DeviceStatus>,
    /// Conflicts not yet accepted or swapped.
    pub open_conflicts: u32,
}

/// Another laptop of the office, as far as this one has its changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DeviceStatus {
    pub device: String,
    pub name: String,
    pub code: Option<String>,
    /// The newest of its changes applied here.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub last_seq: i64,
    /// When that change was made on its laptop.
    pub last_at: Option<DateTime<Utc>>,
}

/// What a conflict is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum ConflictKind {
    /// The same field was changed on two laptops.
    Field,
    /// A record was changed on one laptop and deleted on the other.
    EditDelete,
}

/// Which side a conflict's provisional choice took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum ConflictWinner {
    Local,
    Remote,
}

/// One conflict, with both values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SyncConflict {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub kind: ConflictKind,
    /// The record it concerns, when the table holds records of a kind.
    pub record_kind: Option<crate::activity::RecordKind>,
    pub record_id: Option<String>,
    /// The record's title as it is now (or as it was, when it was deleted).
    pub title: Option<String>,
    /// The table and the column (for a field conflict).
    pub table: String,
    pub column: Option<String>,
    /// The value on this laptop and on the other, as text (JSON for a whole row).
    pub local_value: Option<String>,
    pub remote_value: Option<String>,
    /// Who changed it on each side (the laptop's user name) and when.
    pub local_device: String,
    pub remote_device: String,
    pub local_at: Option<DateTime<Utc>>,
    pub remote_at: DateTime<Utc>,
    /// The provisional choice: the newer change of a field; for an edit against a
    /// delete, the delete.
    pub winner: ConflictWinner,
    pub found_at: DateTime<Utc>,
}
