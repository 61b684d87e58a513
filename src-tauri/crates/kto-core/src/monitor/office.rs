//! What an office keeps around its monitor figures: the monitor settings, the records a
//! figure counts (for drill-down), the signed submissions and the signing-key registry.
//! Plain data filled by the store; no I/O here.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    Change, DefinitionSet, Figure, FinancialYearStart, MonitorResult, QualityWarning, RecordKind,
};

/// The office's monitor settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct MonitorSettings {
    /// Short stable id of the institution in the submission (`tue`, `umcu`): 1–64 ASCII
    /// letters, digits, `.`, `_` or `-`; empty until the office sets it.
    pub institution_id: String,
    /// Full name of the institution; empty until set.
    pub institution_name: String,
    /// First day of the financial year.
    pub financial_year_start: FinancialYearStart,
}

/// The factor (in hundredths) by which a figure must move from the last signed year to
/// be flagged before signing: 200 = doubled or halved.
pub const DEFAULT_CHANGE_FACTOR_HUNDREDTHS: u32 = 200;

/// One record a figure counts: what the drill-down lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CountedRecord {
    /// The kind of record.
    pub kind: RecordKind,
    /// Its id.
    pub id: String,
    /// Its title as the office knows it (reference and title, name, description).
    pub title: String,
    /// The date that places it in the year (received, filed, signed, incorporated, …),
    /// so that the drill-down can be checked against the period.
    #[serde(default)]
    pub date: Option<chrono::NaiveDate>,
    /// Its amount in euro cents where it has one (income, a contract's value, a round, a
    /// contribution's cash), so that the drill-down adds up to the figure.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub amount: Option<i64>,
}

/// A signed submission as stored: never changed afterwards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SubmissionRecord {
    /// Record id.
    pub id: String,
    /// The reported year.
    pub year: i32,
    /// 1 for the first submission of the year, then one more per correction.
    pub version: u32,
    /// The version this one corrects.
    pub supersedes_id: Option<String>,
    /// The institution id in the file.
    pub institution_id: String,
    /// The definition set's version.
    pub definition_version: String,
    /// The file exactly as signed (RFC 8785 canonical JSON).
    pub canonical_json: String,
    /// The detached minisign signature.
    pub signature: String,
    /// SHA-256 of the file, lower-case hex.
    pub sha256: String,
    /// The signing key's id (16 hex digits).
    pub key_id: String,
    /// Who signed.
    pub signer: String,
    /// When.
    pub signed_at: DateTime<Utc>,
}

/// A signing public key in the office's registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SigningKeyRecord {
    /// Key id, 16 hex digits as minisign prints it.
    pub key_id: String,
    /// The public key in minisign's file format.
    pub public_key: String,
    /// SHA-256 of the public key, lower-case hex.
    pub fingerprint: String,
    /// When it was registered.
    pub created_at: DateTime<Utc>,
    /// When it was replaced; `None` while in use.
    pub retired_at: Option<DateTime<Utc>>,
}

/// The signed submission a year is compared with, and its figures as signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ComparedSubmission {
    /// Its year.
    pub year: i32,
    /// Its version.
    pub version: u32,
    /// SHA-256 of its file.
    pub sha256: String,
    /// Its figures (without record ids: the file does not hold them).
    pub figures: Vec<Figure>,
}

/// What the office head sees before signing a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct MonitorOverview {
    /// The definitions used: names, descriptions and units of the figures.
    pub definitions: DefinitionSet,
    /// The figures of the year.
    pub result: MonitorResult,
    /// True when no figure counts any record: there is nothing to sign.
    pub empty: bool,
    /// Data-quality warnings.
    pub quality: Vec<QualityWarning>,
    /// The last signed submission of an earlier year, if any.
    pub compared_with: Option<ComparedSubmission>,
    /// Figures that moved by more than the change factor since `compared_with`.
    pub changes: Vec<Change>,
    /// The latest version already signed for this year, if any: signing again makes a
    /// correction that supersedes it.
    pub signed: Option<SubmissionRecord>,
}

/// What signing a year wrote, and its verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SignedExport {
    /// The stored submission.
    pub submission: SubmissionRecord,
    /// The submission file.
    pub json_path: String,
    /// Its detached signature.
    pub signature_path: String,
    /// The PDF report.
    pub pdf_path: String,
    /// The JSON Schema the submission file follows, written beside it for whoever checks it.
    pub schema_path: String,
    /// SHA-256 of the submission file.
    pub sha256: String,
    /// The signing key's id.
    pub key_id: String,
    /// SHA-256 fingerprint of the signing public key.
    pub key_fingerprint: String,
    /// True when the written files verified against the public key.
    pub verified: bool,
    /// What the verification found, in one sentence.
    pub verification: String,
}

impl SignedExport {
    /// The files written: the submission, its signature, the report and the schema.
    pub fn files(&self) -> [&std::path::Path; 4] {
        [
            &self.json_path,
            &self.signature_path,
            &self.pdf_path,
            &self.schema_path,
        ]
        .map(std::path::Path::new)
    }
}
