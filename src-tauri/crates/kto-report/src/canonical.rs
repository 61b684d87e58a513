//! Canonical JSON (RFC 8785, via `serde_jcs`) and SHA-256 of the submission.
//!
//! The canonical bytes are what is signed and hashed, so the same figures
//! always give the same file and the same hash.

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::submission::Submission;

/// The submission as RFC 8785 canonical JSON bytes (no trailing newline).
///
/// The submission is validated first, because canonical JSON would silently
/// round integers beyond ±(2^53 − 1).
///
/// # Errors
/// [`Error::InvalidSubmission`] when a rule of [`Submission::validate`] is broken.
pub fn to_canonical_json(submission: &Submission) -> Result<Vec<u8>> {
    submission.validate()?;
    serde_jcs::to_vec(submission).map_err(Error::Canonical)
}

/// SHA-256 of `bytes` as 64 lower-case hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(s, "{b:02x}");
    }
    s
}
