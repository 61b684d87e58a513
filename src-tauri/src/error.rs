//! The one error the UI sees: `{kind, code?, message, fields?}`. `kind` is one of a few
//! stable kinds the UI branches on; `code` names the error exactly (the libraries' own
//! stable codes, such as `wrongPassphrase`), so the UI phrases it in the user's language
//! and falls back to `message` only for errors it has no text for; `fields` are the
//! problems of a validation error, each with a code and numbers.
//!
//! Every library error is mapped here, once, and so are the app host's own refusals
//! ([`HostError`]); commands only use `?`. Each coded error also carries its parameters
//! (`params`: a path, a name, an id) so the UI can phrase it in Dutch or English without
//! parsing the English sentence. The full error chain of storage and internal errors is
//! logged here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kto_core::terms::TermsError;
use kto_core::validation::{FieldError, Problem, ValidationErrors};
use kto_report::monitor::ExportError;
use kto_report::national::NationalError;
use kto_report::ocf::OcfError;
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
    /// The exact error, a stable camelCase name; absent where the kind says it all.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub code: Option<String>,
    pub message: String,
    /// The values the coded sentence names (`{path}`, `{name}`, …), as text.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[ts(optional, as = "Option<BTreeMap<String, String>>")]
    pub params: BTreeMap<String, String>,
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
            code: None,
            message: message.into(),
            params: BTreeMap::new(),
            fields: Vec::new(),
        }
    }

    /// An error of `kind` named by `code`.
    pub fn coded(kind: ErrorKind, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            code: Some(code.to_owned()),
            ..ApiError::new(kind, message)
        }
    }

    /// A validation error of one field.
    fn on_field(code: &str, message: String, field: &str, problem: Problem) -> Self {
        ApiError {
            fields: ValidationErrors::one(field, problem).0,
            ..ApiError::coded(ErrorKind::Validation, code, message)
        }
    }
}

/// What the app host itself refuses: paths the web view names, the state of the running
/// app, calls the web view made wrongly. Each has a stable code and its parameters.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    #[error("there is no backup named {name} in {}; refresh the list", folder.display())]
    NoSuchBackup { name: String, folder: PathBuf },
    #[error("a restore replaces the office's current data; confirm it to go on")]
    RestoreNotConfirmed,
    #[error("the database is being {0}")]
    Closed(&'static str),
    #[error(
        "this laptop already holds records; it joins an office only while its own office is empty"
    )]
    OfficeNotEmpty,
    #[error("choose the folder the office shares in Settings first")]
    NoSharedFolder,
    #[error("the home folder is not known")]
    NoHomeFolder,
    #[error("`{typed}` is not a full path; give the full path of the folder or file (such as {example}), or choose it with \"Choose…\"")]
    NotFullPath { typed: String, example: String },
    #[error("`{typed}` goes up a folder with `..`; give the folder's own full path, or choose it with \"Choose…\"")]
    ClimbsUp { typed: String },
    #[error("KTO Desk opens only files it wrote in this session; open {} from your file manager", path.display())]
    NotWrittenHere { path: PathBuf },
    #[error("{} is no longer there; it was moved or deleted", path.display())]
    Gone { path: PathBuf },
    #[error("KTO Desk has not seen you choose {}; confirm that it should write there", path.display())]
    NotChosen { path: PathBuf },
    #[error("{} already exists; KTO Desk never overwrites a file. Choose another name", path.display())]
    FileExists { path: PathBuf },
    #[error("{} is a file, not a folder; choose a folder", path.display())]
    NotAFolder { path: PathBuf },
    #[error("there is no folder {}; choose the folder the export was written to", path.display())]
    NoSuchFolder { path: PathBuf },
    #[error("no program opened {} ({reason}); open it from your file manager", path.display())]
    NoProgram { path: PathBuf, reason: String },
    #[error("'{id}' is not a {what} id")]
    BadId { what: &'static str, id: String },
    #[error("reference set `{id}` was not found; choose one from the list")]
    NoSuchReferenceSet { id: String },
    #[error("`{id}` is a reference set shipped with KTO Desk and cannot be changed; give the office's set its own id")]
    ShippedSet { id: String },
    #[error("this spin-off has no cap table yet; enter its founders and rounds and save first")]
    NoCapTable,
    #[error("no file is chosen for import; choose the file again")]
    NoImportFile,
    /// A bug in the app or a web view that calls it wrongly.
    #[error("{0}")]
    Internal(String),
}

impl HostError {
    /// The stable name the UI phrases the error by.
    pub fn code(&self) -> &'static str {
        match self {
            HostError::NoSuchBackup { .. } => "noSuchBackup",
            HostError::RestoreNotConfirmed => "restoreNotConfirmed",
            HostError::Closed(_) => "databaseClosed",
            HostError::OfficeNotEmpty => "officeNotEmpty",
            HostError::NoSharedFolder => "noSharedFolder",
            HostError::NoHomeFolder => "noHomeFolder",
            HostError::NotFullPath { .. } => "notFullPath",
            HostError::ClimbsUp { .. } => "climbsUp",
            HostError::NotWrittenHere { .. } => "notWrittenHere",
            HostError::Gone { .. } => "gone",
            HostError::NotChosen { .. } => "notChosen",
            HostError::FileExists { .. } => "fileExists",
            HostError::NotAFolder { .. } => "notAFolder",
            HostError::NoSuchFolder { .. } => "noSuchFolder",
            HostError::NoProgram { .. } => "noProgram",
            HostError::BadId { .. } => "badId",
            HostError::NoSuchReferenceSet { .. } => "noSuchReferenceSet",
            HostError::ShippedSet { .. } => "shippedSet",
            HostError::NoCapTable => "noCapTable",
            HostError::NoImportFile => "noImportFile",
            HostError::Internal(_) => "internal",
        }
    }

    fn kind(&self) -> ErrorKind {
        use HostError as H;
        match self {
            H::NoSuchBackup { .. }
            | H::Gone { .. }
            | H::BadId { .. }
            | H::NoSuchReferenceSet { .. }
            | H::NoImportFile => ErrorKind::NotFound,
            H::RestoreNotConfirmed
            | H::NoSharedFolder
            | H::NotFullPath { .. }
            | H::ClimbsUp { .. }
            | H::NotWrittenHere { .. }
            | H::NoCapTable => ErrorKind::Validation,
            H::OfficeNotEmpty
            | H::FileExists { .. }
            | H::NotAFolder { .. }
            | H::NoSuchFolder { .. }
            | H::ShippedSet { .. } => ErrorKind::Conflict,
            H::Closed(_) => ErrorKind::Storage,
            H::NotChosen { .. } => ErrorKind::Confirm,
            H::NoHomeFolder | H::NoProgram { .. } => ErrorKind::Io,
            H::Internal(_) => ErrorKind::Internal,
        }
    }

    /// The values the sentence names, for the UI's own phrasing.
    fn params(&self) -> BTreeMap<String, String> {
        let path = |p: &Path| p.display().to_string();
        let pairs: Vec<(&str, String)> = match self {
            HostError::NoSuchBackup { name, folder } => {
                vec![("name", name.clone()), ("folder", path(folder))]
            }
            HostError::NotFullPath { typed, example } => {
                vec![("typed", typed.clone()), ("example", example.clone())]
            }
            HostError::ClimbsUp { typed } => vec![("typed", typed.clone())],
            HostError::NotWrittenHere { path: p }
            | HostError::Gone { path: p }
            | HostError::NotChosen { path: p }
            | HostError::FileExists { path: p }
            | HostError::NotAFolder { path: p }
            | HostError::NoSuchFolder { path: p } => vec![("path", path(p))],
            HostError::NoProgram { path: p, reason } => {
                vec![("path", path(p)), ("reason", reason.clone())]
            }
            HostError::BadId { id, .. }
            | HostError::NoSuchReferenceSet { id }
            | HostError::ShippedSet { id } => vec![("id", id.clone())],
            _ => Vec::new(),
        };
        pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
    }
}

impl From<HostError> for ApiError {
    fn from(e: HostError) -> Self {
        if matches!(e, HostError::Internal(_)) {
            log_chain(&e);
        }
        ApiError {
            params: e.params(),
            ..ApiError::coded(e.kind(), e.code(), e.to_string())
        }
    }
}

impl From<kto_store::Error> for ApiError {
    fn from(e: kto_store::Error) -> Self {
        use kto_store::Error as E;
        let kind = match &e {
            E::NotFound { .. } => ErrorKind::NotFound,
            E::Invalid(_) | E::Import(_) => ErrorKind::Validation,
            E::Conflict(_) | E::BadExport { .. } => ErrorKind::Conflict,
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
            fields,
            ..ApiError::new(kind, e.to_string())
        }
    }
}

impl From<kto_core::validation::ValidationErrors> for ApiError {
    fn from(e: kto_core::validation::ValidationErrors) -> Self {
        ApiError {
            fields: e.0.clone(),
            ..ApiError::new(
                ErrorKind::Validation,
                format!("Please correct the marked fields: {e}"),
            )
        }
    }
}

impl From<std::io::Error> for ApiError {
    fn from(e: std::io::Error) -> Self {
        log_chain(&e);
        ApiError::new(ErrorKind::Io, e.to_string())
    }
}

impl From<kto_report::Error> for ApiError {
    fn from(e: kto_report::Error) -> Self {
        use kto_report::Error as E;
        let (code, message) = (e.code(), e.to_string());
        let kind = match e {
            E::WrongPassphrase => {
                return ApiError::on_field(code, message, "passphrase", Problem::Invalid)
            }
            E::EmptyPassphrase => {
                return ApiError::on_field(code, message, "passphrase", Problem::Required)
            }
            // Shown as it is: it says why and what to do.
            E::WeakPassphrase { .. } | E::KeyFileExists { .. } => ErrorKind::Conflict,
            E::Io { .. } => ErrorKind::Io,
            E::InvalidSubmission { .. } => ErrorKind::Validation,
            _ => {
                log_chain(&e);
                ErrorKind::Internal
            }
        };
        ApiError::coded(kind, code, message)
    }
}

impl From<ExportError> for ApiError {
    fn from(e: ExportError) -> Self {
        let (code, message) = (e.code(), e.to_string());
        let kind = match e {
            ExportError::Report(r) => return r.into(),
            ExportError::Store(s) => return s.into(),
            ExportError::NoInstitution => {
                return ApiError::on_field(code, message, "institutionId", Problem::Required)
            }
            ExportError::EmptyYear { .. } => {
                return ApiError::on_field(code, message, "year", Problem::Invalid)
            }
            ExportError::FileExists { .. } | ExportError::OtherFileThere { .. } => {
                ErrorKind::Conflict
            }
            ExportError::NoKey | ExportError::NoFigure { .. } => ErrorKind::NotFound,
            ExportError::StoredSubmission { .. } => ErrorKind::Storage,
            ExportError::Monitor(_) | ExportError::NotVerified { .. } => {
                log_chain(&e);
                ErrorKind::Internal
            }
        };
        ApiError::coded(kind, code, message)
    }
}

impl From<NationalError> for ApiError {
    fn from(e: NationalError) -> Self {
        let (code, message) = (e.code(), e.to_string());
        let kind = match e {
            NationalError::Report(r) => return r.into(),
            NationalError::KeyAlreadyRegistered { .. }
            | NationalError::KeyIdTaken { .. }
            | NationalError::InstitutionHasKey { .. }
            | NationalError::NameMismatch { .. }
            | NationalError::OutputExists { .. }
            | NationalError::CoordinatorKeyExists => ErrorKind::Conflict,
            NationalError::NotAFolder { .. } | NationalError::NoCoordinatorKey => {
                ErrorKind::NotFound
            }
            NationalError::InvalidInstitution(_)
            | NationalError::BadBenchmark(_)
            | NationalError::NoActiveKey { .. }
            | NationalError::NothingAccepted => ErrorKind::Validation,
            NationalError::Io { .. } => ErrorKind::Io,
            NationalError::BadRegistry { .. } => ErrorKind::Storage,
            _ => {
                log_chain(&e);
                ErrorKind::Internal
            }
        };
        ApiError::coded(kind, code, message)
    }
}

/// An Open Cap Format package that cannot be made: a missing incorporation date says what
/// to enter; the cap table's own refusals are terms errors.
impl From<OcfError> for ApiError {
    fn from(e: OcfError) -> Self {
        match e {
            OcfError::Terms(t) => t.into(),
            // The date is on the spin-off's own page, not on the form that exports.
            OcfError::NoIncorporationDate => {
                ApiError::coded(ErrorKind::Validation, e.code(), e.to_string())
            }
            OcfError::Archive(_) => {
                log_chain(&e);
                ApiError::coded(ErrorKind::Internal, e.code(), e.to_string())
            }
        }
    }
}

/// Terms the maths refuses: the message names the figure (a round, a holder, a rate) and
/// what to enter instead; the code says which rule.
impl From<TermsError> for ApiError {
    fn from(e: TermsError) -> Self {
        ApiError::coded(ErrorKind::Validation, e.code(), e.to_string())
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

    #[test]
    fn a_wrong_passphrase_is_a_validation_error_on_the_passphrase_field() {
        let json =
            serde_json::to_value(ApiError::from(kto_report::Error::WrongPassphrase)).unwrap();
        assert_eq!(json["kind"], "validation");
        assert_eq!(json["code"], "wrongPassphrase");
        assert_eq!(json["fields"][0]["field"], "passphrase");
        assert!(json["message"]
            .as_str()
            .unwrap()
            .contains("wrong passphrase"));
    }

    #[test]
    fn an_empty_year_names_the_year_field() {
        let e = ApiError::from(ExportError::EmptyYear {
            year: 2031,
            start: chrono::NaiveDate::from_ymd_opt(2031, 1, 1).unwrap(),
            end: chrono::NaiveDate::from_ymd_opt(2031, 12, 31).unwrap(),
        });
        let json = serde_json::to_value(e).unwrap();
        assert_eq!(json["kind"], "validation");
        assert_eq!(json["code"], "emptyYear");
        assert_eq!(json["fields"][0]["field"], "year");
        assert!(json["message"]
            .as_str()
            .unwrap()
            .contains("nothing to report for 2031"));
    }

    #[test]
    fn an_error_inside_an_export_keeps_the_code_of_its_cause() {
        let e = ApiError::from(ExportError::Report(kto_report::Error::WeakPassphrase {
            reason: "too short".into(),
        }));
        assert_eq!(
            (e.kind, e.code.as_deref()),
            (ErrorKind::Conflict, Some("weakPassphrase"))
        );
        let e = ApiError::from(ExportError::NoKey);
        assert_eq!(
            (e.kind, e.code.as_deref()),
            (ErrorKind::NotFound, Some("noKey"))
        );
    }

    #[test]
    fn terms_errors_reach_the_ui_with_the_rule_they_break() {
        let json = serde_json::to_value(ApiError::from(TermsError::NoShares)).unwrap();
        assert_eq!(json["kind"], "validation");
        assert_eq!(json["code"], "noShares");
        assert!(json["message"].as_str().unwrap().contains("no shares"));
    }

    /// One of each refusal of the host, to check that the UI has a text for every code.
    fn every_host_error() -> Vec<HostError> {
        let path = PathBuf::from("x");
        vec![
            HostError::NoSuchBackup {
                name: "b".into(),
                folder: path.clone(),
            },
            HostError::RestoreNotConfirmed,
            HostError::Closed("restored"),
            HostError::OfficeNotEmpty,
            HostError::NoSharedFolder,
            HostError::NoHomeFolder,
            HostError::NotFullPath {
                typed: "x".into(),
                example: "Documents".into(),
            },
            HostError::ClimbsUp { typed: "x".into() },
            HostError::NotWrittenHere { path: path.clone() },
            HostError::Gone { path: path.clone() },
            HostError::NotChosen { path: path.clone() },
            HostError::FileExists { path: path.clone() },
            HostError::NotAFolder { path: path.clone() },
            HostError::NoSuchFolder { path: path.clone() },
            HostError::NoProgram {
                path,
                reason: "none".into(),
            },
            HostError::BadId {
                what: "deal",
                id: "x".into(),
            },
            HostError::NoSuchReferenceSet { id: "x".into() },
            HostError::ShippedSet { id: "x".into() },
            HostError::NoCapTable,
            HostError::NoImportFile,
        ]
    }

    #[test]
    fn every_refusal_of_the_host_has_a_text_in_both_languages_with_its_parameters() {
        let texts = include_str!("../../ui/src/i18n/errors.ts");
        let (en, nl) = texts.split_at(texts.find("export const errorsNl").unwrap());
        for e in every_host_error() {
            let api = ApiError::from(e);
            let code = api.code.clone().unwrap();
            for (lang, part) in [("en", en), ("nl", nl)] {
                let key = format!("'error.code.{code}': ");
                let at = part
                    .find(&key)
                    .unwrap_or_else(|| panic!("{lang}: no text for {code}"));
                let line = part[at..].lines().next().unwrap();
                for name in api.params.keys() {
                    assert!(
                        line.contains(&format!("{{{name}}}")),
                        "{lang} {code}: {{{name}}} unused"
                    );
                }
            }
        }
    }

    #[test]
    fn a_refused_path_is_sent_with_its_code_and_the_path_as_a_parameter() {
        let path = std::env::temp_dir().join("export");
        let json =
            serde_json::to_value(ApiError::from(HostError::FileExists { path: path.clone() }))
                .unwrap();
        assert_eq!(json["kind"], "conflict");
        assert_eq!(json["code"], "fileExists");
        assert_eq!(json["params"]["path"], path.display().to_string());
        assert!(json["message"]
            .as_str()
            .unwrap()
            .contains("never overwrites"));
    }
}
