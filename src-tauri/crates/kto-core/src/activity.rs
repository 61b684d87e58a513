//! The activity history of a record: creation, field edits and stage changes, with who
//! and when. Written by the store in the same transaction as the change it describes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The kind of record an activity belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum RecordKind {
    Disclosure,
    Person,
    Organisation,
    Deal,
}

impl RecordKind {
    /// All kinds.
    pub const ALL: [RecordKind; 4] = [
        RecordKind::Disclosure,
        RecordKind::Person,
        RecordKind::Organisation,
        RecordKind::Deal,
    ];

    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Disclosure => "disclosure",
            RecordKind::Person => "person",
            RecordKind::Organisation => "organisation",
            RecordKind::Deal => "deal",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> crate::Result<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or_else(|| crate::Error::UnknownCode {
                what: "record kind",
                value: code.to_string(),
            })
    }
}

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Action {
    Created,
    /// One field changed from `old` to `new`.
    Updated,
    /// The pipeline stage changed from `old` to `new`.
    StageChanged,
}

impl Action {
    /// All actions.
    pub const ALL: [Action; 3] = [Action::Created, Action::Updated, Action::StageChanged];

    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Updated => "updated",
            Action::StageChanged => "stage_changed",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> crate::Result<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or_else(|| crate::Error::UnknownCode {
                what: "activity action",
                value: code.to_string(),
            })
    }
}

/// One entry in a record's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Activity {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seq: i64,
    pub record_kind: RecordKind,
    pub record_id: String,
    pub at: DateTime<Utc>,
    /// Who made the change (the user name set in settings).
    pub actor: String,
    pub action: Action,
    pub field: Option<String>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

/// Who makes a change and when: passed to every write so the history is exact and demo
/// data can carry dates in the past.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub actor: String,
    pub at: DateTime<Utc>,
}
