//! The one error the UI sees: `{kind, message, fields?}` with a few stable kinds the UI
//! branches on. The full error chain is logged here; the user gets a sentence to act on.

use kto_core::validation::FieldError;
use serde::Serialize;

/// The stable kinds of error the UI distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[derive(ts_rs::TS)]
#[ts(export)]
pub enum ErrorKind {
    /// The record does not exist (any more).
    NotFound,
    /// The input breaks a rule; `fields` says which.
    Validation,
    /// The request clashes with what is stored (for example a demo load on a full office).
    Conflict,
    /// The database could not be opened, read or written.
    Storage,
    /// The database file is damaged: the app is in safe mode and offers a backup.
    Damaged,
    /// A file could not be read or written.
    Io,
    /// A bug: something that should not happen.
    Internal,
    /// The command writes to a path the user did not pick in the native dialog: the UI
    /// asks the user and sends it again confirmed (`paths.rs`).
    Confirm,
}

/// An error as sent across the IPC boundary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[derive(ts_rs::TS)]
#[ts(export)]
pub struct ApiError {
    pub kind: ErrorKind,
    pub message: String,
    /// Field-level problems of a validation error.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<FieldError>>")]
    pub fields: Vec<FieldError>,
}

impl ApiError {
    /// An error of `kind` with a message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        ApiError {
            kind,
            message: message.into(),
            fields: Vec::new(),
        }
    }
}

impl From<kto_store::Error> for ApiError {
    fn from(e: kto_store::Error) -> Self {
        use kto_store::Error as E;
        let kind = match &e {
            E::NotFound { .. } => ErrorKind::NotFound,
            E::Invalid(_) | E::Import(_) => ErrorKind::Validation,
            E::Conflict(_) => ErrorKind::Conflict,
            E::File { .. } | E::Sync(_) => ErrorKind::Io,
            E::Domain(kto_core::Error::Invalid(_)) => ErrorKind::Validation,
            E::Damaged(_) | E::Corrupt(_) => ErrorKind::Damaged,
            E::Open { .. }
            | E::NewerSchema { .. }
            | E::NotKtoDesk { .. }
            | E::Migration { .. }
            | E::BadBackup { .. }
            | E::Sql { .. }
            | E::Domain(_) => ErrorKind::Storage,
        };
        if matches!(kind, ErrorKind::Storage | ErrorKind::Damaged) {
            log_chain(&e);
        }
        let fields = match e {
            E::Invalid(ref v) | E::Domain(kto_core::Error::Invalid(ref v)) => v.0.clone(),
            _ => Vec::new(),
        };
        ApiError {
            kind,
            message: e.to_string(),
            fields,
        }
    }
}

impl From<kto_core::validation::ValidationErrors> for ApiError {
    fn from(e: kto_core::validation::ValidationErrors) -> Self {
        ApiError {
            kind: ErrorKind::Validation,
            message: format!("Please correct the marked fields: {e}"),
            fields: e.0,
        }
    }
}

impl From<std::io::Error> for ApiError {
    fn from(e: std::io::Error) -> Self {
        log_chain(&e);
        ApiError::new(ErrorKind::Io, e.to_string())
    }
}

/// Writes an error and its sources to standard error, where a support session finds them.
fn log_chain(e: &dyn std::error::Error) {
    let mut line = format!("kto-desk error: {e}");
    let mut source = e.source();
    while let Some(s) = source {
        line.push_str(&format!("\n  caused by: {s}"));
        source = s.source();
    }
    eprintln!("{line}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use kto_core::validation::{Problem, ValidationErrors};

    #[test]
    fn validation_errors_reach_the_ui_with_their_fields() {
        let e: ApiError =
            kto_store::Error::Invalid(ValidationErrors::one("reference", Problem::Taken)).into();
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["kind"], "validation");
        assert_eq!(json["fields"][0]["field"], "reference");
        assert_eq!(json["fields"][0]["code"], "taken");
    }

    #[test]
    fn storage_errors_carry_a_sentence_and_no_fields() {
        let e: ApiError = kto_store::Error::NewerSchema {
            found: 9,
            supported: 1,
        }
        .into();
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["kind"], "storage");
        assert!(json["message"]
            .as_str()
            .unwrap()
            .contains("newer version of KTO Desk"));
        assert!(json.get("fields").is_none());
    }

    #[test]
    fn missing_records_are_not_found() {
        let e: ApiError = kto_store::Error::NotFound {
            what: "disclosure",
            id: "x".into(),
        }
        .into();
        assert_eq!(serde_json::to_value(&e).unwrap()["kind"], "notFound");
    }
}
