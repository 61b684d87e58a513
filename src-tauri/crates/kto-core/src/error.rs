//! Errors of the domain crate.

use crate::validation::ValidationErrors;

/// What can go wrong in domain code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input breaks one or more rules; each names its field.
    #[error("the record is not valid: {0}")]
    Invalid(#[from] ValidationErrors),
    /// A value read back from storage is not one this version knows.
    #[error("unknown {what} '{value}' (the database may come from a newer version of KTO Desk)")]
    UnknownCode { what: &'static str, value: String },
}

/// Result with the domain error.
pub type Result<T> = std::result::Result<T, Error>;
