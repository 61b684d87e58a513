//! The yearly monitor submission as plain data, and the rules it must obey
//! before it is canonicalised and signed.
//!
//! The figures arrive already computed (by `kto-core`); this module only
//! checks that they can be written without loss: integers within the range
//! that RFC 8785 numbers represent exactly, "not available" kept apart from
//! zero, and identifiers that fit in the signature's trusted comment.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The version of the file format this crate writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// Largest integer magnitude a figure may have: 2^53 − 1.
///
/// RFC 8785 writes every number as an IEEE 754 double (and `serde_jcs`
/// converts `i64` to `f64`), so larger integers would be silently rounded.
/// In euro cents this is about € 90 trillion.
pub const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

/// The signed yearly monitor submission of one institution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// File format version; always [`SCHEMA_VERSION`] when written by this crate.
    pub schema_version: u32,
    /// Version of the indicator definition set the figures were computed with.
    pub definition_version: String,
    /// The reporting institution.
    pub institution: Institution,
    /// The reported year: the financial year that ends in this calendar year.
    pub year: i32,
    /// First and last day of the financial year.
    pub period: Period,
    /// The figures, in the order of the definition set.
    pub figures: Vec<FigureOut>,
    /// Version of the application that produced the file.
    pub app_version: String,
    /// When the submission was created (given by the caller, not read from a clock here).
    pub created_at: DateTime<Utc>,
    /// SHA-256 (lower-case hex) of the canonical file this submission corrects, if any.
    pub supersedes: Option<String>,
    /// For an office of several laptops: whose changes the signed office held. Absent for
    /// an office kept on one laptop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync: Option<OfficeSync>,
}

/// The laptops whose changes a submission's figures include.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficeSync {
    /// When the signing laptop last synced with the office's shared folder.
    pub last_synced_at: Option<DateTime<Utc>>,
    /// Every laptop of the office, the signing one first, each with its changes included.
    pub devices: Vec<DeviceChanges>,
}

/// One laptop's share of the office at signing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceChanges {
    /// The laptop's device id (its audit chain).
    pub device: String,
    /// Its user's name.
    pub name: String,
    /// How many of its changes the office held.
    pub changes: i64,
    /// When the newest of them was made on that laptop.
    pub newest_change_at: Option<DateTime<Utc>>,
}

/// The reporting institution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Institution {
    /// Short stable identifier such as `tue` or `umcu`: 1–64 ASCII letters,
    /// digits, `.`, `_` or `-`. It is written into the signature's trusted comment.
    pub id: String,
    /// Full display name, e.g. "Technische Universiteit Eindhoven".
    pub name: String,
}

/// The financial year, both days inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// First day.
    pub start: NaiveDate,
    /// Last day; its calendar year is the reported year.
    pub end: NaiveDate,
}

/// The unit a figure's integer value is expressed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export, rename = "SubmissionUnit")
)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A number of things; never negative.
    Count,
    /// Euro cents; may be negative (net corrections).
    EurCents,
    /// Full-time equivalents in hundredths (1250 = 12.50 FTE); never negative.
    FteHundredths,
}

impl Unit {
    /// The name used in the file (`count`, `eur_cents`, `fte_hundredths`).
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::EurCents => "eur_cents",
            Unit::FteHundredths => "fte_hundredths",
        }
    }
}

/// One figure of the indicator set, as written to the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureOut {
    /// Indicator code from the definition set, e.g. `PA-PRIO`.
    pub code: String,
    /// Human-readable label in the report language.
    pub label: String,
    /// Unit of `value` and of every breakdown value.
    pub unit: Unit,
    /// The figure; `None` means "not available", which is never the same as 0.
    pub value: Option<i64>,
    /// Why the figure is not available; only allowed when `value` is `None`.
    pub not_available_reason: Option<String>,
    /// Sub-totals by type or partner kind; keys unique within the figure.
    pub breakdowns: Vec<Breakdown>,
}

/// A sub-total of a figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Breakdown {
    /// What the sub-total counts, e.g. `sme` or `contract_research`.
    pub key: String,
    /// The sub-total, in the figure's unit.
    pub value: i64,
}

impl Submission {
    /// Checks every rule of the format; the first broken rule is returned as
    /// [`Error::InvalidSubmission`] naming the field or figure code.
    pub fn validate(&self) -> Result<()> {
        if self.schema_version != SCHEMA_VERSION {
            return Err(Error::invalid(format!(
                "schema_version is {}, this version of KTO Desk writes {SCHEMA_VERSION}",
                self.schema_version
            )));
        }
        if self.definition_version.trim().is_empty() {
            return Err(Error::invalid("definition_version is empty"));
        }
        validate_institution_id(&self.institution.id)?;
        if self.institution.name.trim().is_empty() {
            return Err(Error::invalid("institution name is empty"));
        }
        if self.period.start > self.period.end {
            return Err(Error::invalid(format!(
                "the period starts on {} after it ends on {}",
                self.period.start, self.period.end
            )));
        }
        if self.period.end.year() != self.year {
            return Err(Error::invalid(format!(
                "the period ends on {}, but the reported year is {}; the year must be the one in which the financial year ends",
                self.period.end, self.year
            )));
        }
        if self.app_version.trim().is_empty() {
            return Err(Error::invalid("app_version is empty"));
        }
        if let Some(hash) = &self.supersedes {
            if !is_sha256_hex(hash) {
                return Err(Error::invalid(format!(
                    "supersedes `{hash}` is not a SHA-256 in 64 lower-case hex digits"
                )));
            }
        }
        let mut codes = BTreeSet::new();
        for figure in &self.figures {
            figure.validate()?;
            if !codes.insert(figure.code.as_str()) {
                return Err(Error::invalid(format!(
                    "figure code `{}` appears more than once",
                    figure.code
                )));
            }
        }
        Ok(())
    }

    /// The figure with this code, if present.
    pub fn figure(&self, code: &str) -> Option<&FigureOut> {
        self.figures.iter().find(|f| f.code == code)
    }
}

impl FigureOut {
    fn validate(&self) -> Result<()> {
        let code = &self.code;
        if code.is_empty() || code.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::invalid(format!(
                "figure code `{code}` is empty or contains spaces"
            )));
        }
        if self.label.trim().is_empty() {
            return Err(Error::invalid(format!("figure {code} has an empty label")));
        }
        match self.value {
            Some(value) => {
                check_value(code, self.unit, value)?;
                if self.not_available_reason.is_some() {
                    return Err(Error::invalid(format!(
                        "figure {code} has a value and also a not-available reason; remove the reason or the value"
                    )));
                }
            }
            None => {
                if !self.breakdowns.is_empty() {
                    return Err(Error::invalid(format!(
                        "figure {code} is not available but has breakdowns"
                    )));
                }
            }
        }
        let mut keys = BTreeSet::new();
        for b in &self.breakdowns {
            if b.key.trim().is_empty() {
                return Err(Error::invalid(format!(
                    "figure {code} has a breakdown with an empty key"
                )));
            }
            if !keys.insert(b.key.as_str()) {
                return Err(Error::invalid(format!(
                    "figure {code} has breakdown key `{}` more than once",
                    b.key
                )));
            }
            check_value(&format!("{code}/{}", b.key), self.unit, b.value)?;
        }
        Ok(())
    }
}

fn check_value(what: &str, unit: Unit, value: i64) -> Result<()> {
    if !(-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&value) {
        return Err(Error::invalid(format!(
            "{what} = {value} is outside ±{MAX_SAFE_INTEGER}, which canonical JSON cannot hold exactly"
        )));
    }
    if value < 0 && unit != Unit::EurCents {
        return Err(Error::invalid(format!(
            "{what} = {value} is negative, which a {} cannot be",
            unit.as_str()
        )));
    }
    Ok(())
}

/// Checks the characters allowed in an institution id (it goes into the
/// trusted comment, which is space-separated `key=value` text).
pub(crate) fn validate_institution_id(id: &str) -> Result<()> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "institution id `{id}` must be 1–64 ASCII letters, digits, `.`, `_` or `-`"
        )))
    }
}

pub(crate) fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}
