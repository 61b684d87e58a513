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

stored_codes!(RecordKind, "record kind", {
    Disclosure => "disclosure",
    Person => "person",
    Organisation => "organisation",
    Deal => "deal",
    ScoutingLead => "scoutingLead",
    Patent => "patent",
    Agreement => "agreement",
    Consortium => "consortium",
    Contribution => "contribution",
    SpinOff => "spinOff",
    Founder => "founder",
    FundingRound => "fundingRound",
    Income => "income",
    Cost => "cost",
});

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

stored_codes!(Action, "activity action", {
    Created => "created",
    Updated => "updated",
    StageChanged => "stage_changed",
    Noted => "noted",
    Deleted => "deleted",
    Synced => "synced",
});

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
