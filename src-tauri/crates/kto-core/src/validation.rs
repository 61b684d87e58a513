//! Field-level validation results that a form can show next to the field concerned.
//!
//! Each problem carries a stable machine `code` with its numbers, so that the UI can
//! phrase it in the user's language, and an English sentence for the CLI and logs.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What is wrong with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "code"
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Problem {
    /// The field must be filled in.
    Required,
    /// The text is longer than `max` characters.
    TooLong { max: u32 },
    /// The date lies after today.
    InFuture { today: chrono::NaiveDate },
    /// A whole number outside `min..=max`.
    OutOfRange {
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        min: i64,
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        max: i64,
    },
    /// Inventor shares add up to `sum_bp` basis points instead of 10 000 (100 %).
    SharesNotHundred { sum_bp: u32 },
    /// The same person is listed twice.
    Duplicate,
    /// A decided disclosure needs a decision.
    DecisionRequired,
    /// A decision only belongs to a decided disclosure.
    DecisionWithoutDecidedStage,
    /// The decision date lies before the date received.
    BeforeReceived,
    /// Another record already uses this value.
    Taken,
    /// At least one entry is needed.
    AtLeastOne,
    /// A lost or rejected deal must say why.
    ReasonRequired,
    /// Not a date (`YYYY-MM-DD`).
    InvalidDate,
    /// Not a valid value for this field (a KvK number of eight digits, a jurisdiction code).
    Invalid,
    /// The linked record does not exist (any more).
    NotFound,
    /// The date or year lies before the one in the field `other`.
    Before { other: String },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Required => write!(f, "is required"),
            Problem::TooLong { max } => write!(f, "is longer than {max} characters"),
            Problem::InFuture { today } => write!(f, "lies in the future (today is {today})"),
            Problem::OutOfRange { min, max } => write!(f, "must be between {min} and {max}"),
            Problem::SharesNotHundred { sum_bp } => write!(
                f,
                "shares add up to {}.{:02} % instead of 100 %",
                sum_bp / 100,
                sum_bp % 100
            ),
            Problem::Duplicate => write!(f, "lists the same person twice"),
            Problem::DecisionRequired => write!(f, "needs a decision when the stage is 'decided'"),
            Problem::DecisionWithoutDecidedStage => {
                write!(f, "can only be set when the stage is 'decided'")
            }
            Problem::BeforeReceived => write!(f, "lies before the date received"),
            Problem::Taken => write!(f, "is already used by another record"),
            Problem::AtLeastOne => write!(f, "needs at least one entry"),
            Problem::ReasonRequired => write!(f, "needs the reason the deal was lost"),
            Problem::InvalidDate => write!(f, "is not a date (use YYYY-MM-DD)"),
            Problem::Invalid => write!(f, "is not a valid value"),
            Problem::NotFound => write!(f, "points to a record that does not exist"),
            Problem::Before { other } => write!(f, "lies before {other}"),
        }
    }
}

/// One problem with one field. `field` is the form's field name in camelCase, with an
/// index for list items (`inventors.1.share`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FieldError {
    pub field: String,
    #[serde(flatten)]
    pub problem: Problem,
}

/// All problems found in one input; never empty when returned as an error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// Records a problem with `field`.
    pub fn add(&mut self, field: impl Into<String>, problem: Problem) {
        self.0.push(FieldError {
            field: field.into(),
            problem,
        });
    }

    /// A single problem.
    pub fn one(field: impl Into<String>, problem: Problem) -> Self {
        let mut e = Self::default();
        e.add(field, problem);
        e
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was found, else the collected problems.
    pub fn into_result<T>(self, value: T) -> Result<T, ValidationErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// The problems found for `field`.
    pub fn for_field<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a Problem> + 'a {
        self.0
            .iter()
            .filter(move |e| e.field == field)
            .map(|e| &e.problem)
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                write!(f, "; ")?;
            }
            write!(f, "{} {}", e.field, e.problem)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// Trims `value` and checks it is present (when `required`) and at most `max` characters.
pub fn text(
    errors: &mut ValidationErrors,
    field: &str,
    value: &str,
    required: bool,
    max: u32,
) -> String {
    let trimmed = value.trim();
    if required && trimmed.is_empty() {
        errors.add(field, Problem::Required);
    } else if trimmed.chars().count() > max as usize {
        errors.add(field, Problem::TooLong { max });
    }
    trimmed.to_string()
}
