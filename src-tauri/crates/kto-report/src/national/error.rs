//! The error type of the national monitor: the coordinator's key registry, the inbox
//! and the national outputs.

use std::path::PathBuf;

/// Result alias of [`crate::national`].
pub type NationalResult<T> = std::result::Result<T, NationalError>;

/// What can stop a registry change, an inbox check or a national output.
///
/// A refused *submission* is not an error: it is reported per file with its
/// [`Refusal`](super::inbox::Refusal). These errors stop the whole operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NationalError {
    /// Reading, signing, writing or rendering failed in the submission code.
    #[error(transparent)]
    Report(#[from] crate::Error),

    /// The key is registered already.
    #[error("key {key_id} is already registered for {institution_id} ({institution_name}); a key is registered once, for one institution. Register the office's new .pub file instead, or replace the institution's key (\"Replace an office's key\" in the app, `kto national keys rotate` on the command line)")]
    KeyAlreadyRegistered {
        /// Key id.
        key_id: String,
        /// Institution it belongs to.
        institution_id: String,
        /// Its name.
        institution_name: String,
    },

    /// Another key with the same key id is registered (a key id is what a signature names).
    #[error("another key with the same key id {key_id} is registered for {institution_id}; signatures could not tell them apart. Ask the office to make a new key")]
    KeyIdTaken {
        /// Key id.
        key_id: String,
        /// Institution of the other key.
        institution_id: String,
    },

    /// The institution has an active key; a second one must be a rotation.
    #[error("{institution_id} already has an active key {key_id}; to replace it, use \"Replace an office's key\" in the app or `kto national keys rotate --institution {institution_id} --pub NEW.pub --last-year YEAR`")]
    InstitutionHasKey {
        /// Institution.
        institution_id: String,
        /// Its active key.
        key_id: String,
    },

    /// The institution is registered under another name.
    #[error("{institution_id} is registered as “{registered}”, not “{given}”; give the registered name, or correct it in the registry first")]
    NameMismatch {
        /// Institution.
        institution_id: String,
        /// Name in the registry.
        registered: String,
        /// Name given now.
        given: String,
    },

    /// The institution id or name is unusable.
    #[error("{0}")]
    InvalidInstitution(String),

    /// A rotation or retirement names an institution without an active key.
    #[error("{institution_id} has no active key in the registry; register its key first (\"Register key\" in the app, `kto national keys add` on the command line)")]
    NoActiveKey {
        /// Institution.
        institution_id: String,
    },

    /// The registry file is damaged or of an unknown format.
    #[error("the key registry `{}` cannot be read: {reason}; restore it from a backup", path.display())]
    BadRegistry {
        /// The registry file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },

    /// A file or folder could not be read.
    #[error("could not {action} `{}`: {source}", path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// File or folder.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },

    /// A benchmark file is damaged or breaks a rule.
    #[error("the benchmark set cannot be used: {0}; correct the file or keep the shipped set")]
    BadBenchmark(String),

    /// There is nothing to aggregate.
    #[error("no submission in the inbox was accepted, so there is nothing to aggregate; see the reasons given per file")]
    NothingAccepted,

    /// The XLSX workbook could not be written.
    #[error("could not write the XLSX workbook: {0}")]
    Xlsx(String),

    /// The coordinator's key pair exists; it is made once.
    #[error("the coordinator already has a signing key; its public key is shown in the National area (`coordinator.pub` in the national data folder)")]
    CoordinatorKeyExists,

    /// The coordinator has no key pair yet.
    #[error("the coordinator has no signing key yet; make one in the National area first")]
    NoCoordinatorKey,

    /// The inbox named is not a folder.
    #[error("`{}` is not a folder; choose the folder the offices' submissions (.json and .minisig) are in", path.display())]
    NotAFolder {
        /// What was named.
        path: PathBuf,
    },

    /// An output file exists and is not overwritten.
    #[error("`{}` already exists; nothing was written. Choose another folder or move the old file away", path.display())]
    OutputExists {
        /// The existing file.
        path: PathBuf,
    },
}

impl NationalError {
    /// A short stable name of the error kind, for UIs and logs.
    pub fn code(&self) -> &'static str {
        match self {
            NationalError::Report(e) => e.code(),
            NationalError::KeyAlreadyRegistered { .. } => "keyAlreadyRegistered",
            NationalError::KeyIdTaken { .. } => "keyIdTaken",
            NationalError::InstitutionHasKey { .. } => "institutionHasKey",
            NationalError::NameMismatch { .. } => "nameMismatch",
            NationalError::InvalidInstitution(_) => "invalidInstitution",
            NationalError::NoActiveKey { .. } => "noActiveKey",
            NationalError::BadRegistry { .. } => "badRegistry",
            NationalError::Io { .. } => "io",
            NationalError::NothingAccepted => "nothingAccepted",
            NationalError::BadBenchmark(_) => "badBenchmark",
            NationalError::Xlsx(_) => "xlsx",
            NationalError::OutputExists { .. } => "outputExists",
            NationalError::CoordinatorKeyExists => "coordinatorKeyExists",
            NationalError::NoCoordinatorKey => "noCoordinatorKey",
            NationalError::NotAFolder { .. } => "notAFolder",
        }
    }

    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        NationalError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
