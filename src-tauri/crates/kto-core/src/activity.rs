//! The activity history of a record: creation, field edits and stage changes, with who
//! and when. Written by the store in the same transaction as the change it describes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The kind of record an activity belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum RecordKind {
    Disclosure,
    Person,
    Organisation,
    Deal,
    ScoutingLead,
    Patent,
    Agreement,
    Consortium,
    Contribution,
    SpinOff,
    Founder,
    FundingRound,
    Income,
    Cost,
}

impl RecordKind {
    /// All kinds.
    pub const ALL: [RecordKind; 14] = [
        RecordKind::Disclosure,
        RecordKind::Person,
        RecordKind::Organisation,
        RecordKind::Deal,
        RecordKind::ScoutingLead,
        RecordKind::Patent,
        RecordKind::Agreement,
        RecordKind::Consortium,
        RecordKind::Contribution,
        RecordKind::SpinOff,
        RecordKind::Founder,
        RecordKind::FundingRound,
        RecordKind::Income,
        RecordKind::Cost,
    ];

    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Disclosure => "disclosure",
            RecordKind::Person => "person",
            RecordKind::Organisation => "organisation",
            RecordKind::Deal => "deal",
            RecordKind::ScoutingLead => "scoutingLead",
            RecordKind::Patent => "patent",
            RecordKind::Agreement => "agreement",
            RecordKind::Consortium => "consortium",
            RecordKind::Contribution => "contribution",
            RecordKind::SpinOff => "spinOff",
            RecordKind::Founder => "founder",
            RecordKind::FundingRound => "fundingRound",
            RecordKind::Income => "income",
            RecordKind::Cost => "cost",
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
    /// A note was added; its text is `new`.
    Noted,
    /// The record was deleted; `old` holds its title.
    Deleted,
    /// Changes from another laptop of the office were merged into the record; `new`
    /// names that laptop. Written where the merged record is neither side's version.
    Synced,
}

impl Action {
    /// All actions.
    pub const ALL: [Action; 6] = [
        Action::Created,
        Action::Updated,
        Action::StageChanged,
        Action::Noted,
        Action::Deleted,
        Action::Synced,
    ];

    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Updated => "updated",
            Action::StageChanged => "stage_changed",
            Action::Noted => "noted",
            Action::Deleted => "deleted",
            Action::Synced => "synced",
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
