//! The one error type of `kto-report`.
//!
//! Every message says what was being attempted and, where the user can do
//! something about it, how to fix it. [`Error::code`] gives a short stable
//! name that a UI can branch on without parsing messages.

use std::io;
use std::path::PathBuf;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while building, signing, verifying or
/// rendering a monitor submission.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The figure data breaks a rule of the submission format.
    #[error("the submission is not valid: {reason}; correct the figure data and try again")]
    InvalidSubmission {
        /// Which rule was broken, naming the field or figure code.
        reason: String,
    },

    /// serde_jcs refused to serialise the submission (cannot happen for a
    /// validated submission, which holds no floats).
    #[error("could not write the submission as canonical JSON (RFC 8785): {0}")]
    Canonical(#[source] serde_json::Error),

    /// A file or folder operation failed.
    #[error("could not {action} `{}`: {source}; check that the folder exists, is writable and has free space", path.display())]
    Io {
        /// What was being done, e.g. "write the signature file".
        action: &'static str,
        /// The file or folder involved.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },

    /// Key files are never overwritten: an existing key may have signed
    /// earlier submissions.
    #[error("a key file already exists at `{}`; choose another key name or move the old key away first (it may be needed to verify earlier submissions)", path.display())]
    KeyFileExists {
        /// The existing file.
        path: PathBuf,
    },

    /// A new key must be protected by a passphrase.
    #[error("the passphrase is empty; choose a passphrase to protect the signing key")]
    EmptyPassphrase,

    /// A new key's passphrase is too easy to guess.
    #[error("{reason}. The signing key was not made")]
    WeakPassphrase {
        /// What makes it weak and what to do instead.
        reason: String,
    },

    /// The passphrase does not decrypt the secret key.
    #[error("wrong passphrase: it does not open this signing key; type it again (passphrases are case-sensitive)")]
    WrongPassphrase,

    /// The text is not a passphrase-protected minisign secret key.
    #[error(
        "could not read the secret key: {reason}; choose the `.key` file that KTO Desk created"
    )]
    MalformedSecretKey {
        /// What was wrong with it.
        reason: String,
    },

    /// The text is not a minisign public key.
    #[error("could not read the public key: {reason}; choose the `.pub` file of the signing key")]
    MalformedPublicKey {
        /// What was wrong with it.
        reason: String,
    },

    /// Key generation failed (random source or key derivation).
    #[error("could not generate a signing key: {reason}")]
    KeyGeneration {
        /// The underlying cause.
        reason: String,
    },

    /// Signing failed.
    #[error("could not sign the submission: {reason}")]
    Signing {
        /// The underlying cause.
        reason: String,
    },

    /// The `.minisig` text is not a minisign signature.
    #[error("could not read the signature file: {reason}; choose the `.minisig` file that belongs to the submission")]
    MalformedSignature {
        /// What was wrong with it.
        reason: String,
    },

    /// The signature was made by another key than the public key given.
    #[error("the signature was made with key {found}, not with the given public key {expected}; verify with the public key of the office that signed it")]
    WrongKeyId {
        /// Key id of the public key given for verification.
        expected: String,
        /// Key id recorded in the signature.
        found: String,
    },

    /// The signature does not match the file or its trusted comment: the
    /// file or the signature was changed after signing.
    #[error("the signature does not match: the submission file or its signature was changed after signing; ask the office for the original files")]
    BadSignature,

    /// The trusted comment is authentic but not in the KTO monitor format.
    #[error("the signature's trusted comment `{comment}` is not a KTO monitor comment (expected `kto-monitor institution=<id> year=<year> sha256=<hex>`)")]
    MalformedComment {
        /// The trusted comment as found.
        comment: String,
    },

    /// The signed comment and the file disagree.
    #[error("the signature's trusted comment says {field} `{in_comment}`, but the file has `{in_file}`; the signature belongs to another submission")]
    CommentMismatch {
        /// `sha256`, `institution` or `year`.
        field: &'static str,
        /// Value in the trusted comment.
        in_comment: String,
        /// Value computed from, or found in, the file.
        in_file: String,
    },

    /// The signed file is not a readable submission.
    #[error("the submission file is not a valid KTO monitor file: {reason}")]
    MalformedFile {
        /// What was wrong with it.
        reason: String,
    },

    /// The file was written by a newer (or older) version of the format.
    #[error("the submission file has schema version {found}, this version of KTO Desk reads version {supported}; update KTO Desk")]
    UnsupportedSchemaVersion {
        /// Version in the file.
        found: u64,
        /// Version this crate reads and writes.
        supported: u32,
    },

    /// The file parses but is not in canonical form, so its hash would not
    /// identify its content.
    #[error("the submission file is not in canonical JSON form (RFC 8785); it was not written by KTO Desk or was re-formatted after signing")]
    NotCanonical,

    /// A bundled font could not be read.
    #[error("could not load the report font {name}: {reason}")]
    Font {
        /// File name of the font.
        name: &'static str,
        /// What went wrong.
        reason: String,
    },

    /// The report input is inconsistent.
    #[error("could not render the PDF report: {reason}")]
    Report {
        /// What went wrong.
        reason: String,
    },
}

impl Error {
    /// A short stable name of the error kind, for UIs and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidSubmission { .. } => "invalidSubmission",
            Error::Canonical(_) => "canonical",
            Error::Io { .. } => "io",
            Error::KeyFileExists { .. } => "keyFileExists",
            Error::EmptyPassphrase => "emptyPassphrase",
            Error::WeakPassphrase { .. } => "weakPassphrase",
            Error::WrongPassphrase => "wrongPassphrase",
            Error::MalformedSecretKey { .. } => "malformedSecretKey",
            Error::MalformedPublicKey { .. } => "malformedPublicKey",
            Error::KeyGeneration { .. } => "keyGeneration",
            Error::Signing { .. } => "signing",
            Error::MalformedSignature { .. } => "malformedSignature",
            Error::WrongKeyId { .. } => "wrongKeyId",
            Error::BadSignature => "badSignature",
            Error::MalformedComment { .. } => "malformedComment",
            Error::CommentMismatch { .. } => "commentMismatch",
            Error::MalformedFile { .. } => "malformedFile",
            Error::UnsupportedSchemaVersion { .. } => "unsupportedSchemaVersion",
            Error::NotCanonical => "notCanonical",
            Error::Font { .. } => "font",
            Error::Report { .. } => "report",
        }
    }

    pub(crate) fn invalid(reason: impl Into<String>) -> Self {
        Error::InvalidSubmission {
            reason: reason.into(),
        }
    }

    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
