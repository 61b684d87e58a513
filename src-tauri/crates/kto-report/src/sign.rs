//! Signing and verifying the submission file.
//!
//! The signed bytes are the canonical JSON of the submission. The signature
//! is a detached minisign signature (`FILE.json.minisig`, pre-hashed Ed25519,
//! as `minisign -S` makes) whose *trusted comment* — itself covered by the
//! signature — binds the institution, the year and the file's SHA-256:
//!
//! ```text
//! kto-monitor institution=<id> year=<year> sha256=<64 lower-case hex digits>
//! ```
//!
//! so a valid signature cannot be presented for another institution's or
//! another year's file, and `minisign -Vm FILE.json -p KEY.pub` shows what
//! was signed.

use std::fmt;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use crate::canonical::{sha256_hex, to_canonical_json};
use crate::error::{Error, Result};
use crate::fsio;
use crate::keys::{KeyId, PublicKey, SigningKey};
use crate::submission::{is_sha256_hex, validate_institution_id, Submission, SCHEMA_VERSION};

/// First word of every KTO monitor trusted comment.
pub const COMMENT_TAG: &str = "kto-monitor";

/// File name suffix of the detached signature.
pub const SIGNATURE_SUFFIX: &str = ".minisig";

/// The content of a KTO monitor trusted comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedComment {
    /// Institution id, as in the file.
    pub institution: String,
    /// Reported year, as in the file.
    pub year: i32,
    /// SHA-256 of the signed file, 64 lower-case hex digits.
    pub sha256: String,
}

impl TrustedComment {
    /// Parses `kto-monitor institution=<id> year=<year> sha256=<hex>`, with
    /// single spaces and the keys in this order.
    ///
    /// # Errors
    /// [`Error::MalformedComment`] for any other text.
    pub fn parse(comment: &str) -> Result<Self> {
        let malformed = || Error::MalformedComment {
            comment: comment.to_owned(),
        };
        let mut parts = comment.split(' ');
        if parts.next() != Some(COMMENT_TAG) {
            return Err(malformed());
        }
        let mut field = |key: &str| {
            parts
                .next()
                .and_then(|p| p.strip_prefix(key))
                .and_then(|p| p.strip_prefix('='))
                .map(str::to_owned)
                .ok_or_else(malformed)
        };
        let institution = field("institution")?;
        let year = field("year")?;
        let sha256 = field("sha256")?;
        if parts.next().is_some()
            || validate_institution_id(&institution).is_err()
            || !is_sha256_hex(&sha256)
        {
            return Err(malformed());
        }
        let year = year
            .parse::<i32>()
            .ok()
            // Only the plain decimal form, as written by `Display`.
            .filter(|y| y.to_string() == year)
            .ok_or_else(malformed)?;
        Ok(TrustedComment {
            institution,
            year,
            sha256,
        })
    }
}

impl fmt::Display for TrustedComment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{COMMENT_TAG} institution={} year={} sha256={}",
            self.institution, self.year, self.sha256
        )
    }
}

/// A signed submission in memory: the exact file bytes and signature text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedSubmission {
    /// Canonical JSON bytes, the content of `FILE.json`.
    pub json: Vec<u8>,
    /// Minisign signature text, the content of `FILE.json.minisig`.
    pub signature: String,
    /// SHA-256 of `json`, lower-case hex.
    pub sha256: String,
    /// The signed trusted comment.
    pub comment: TrustedComment,
    /// Id of the key that signed.
    pub key_id: KeyId,
}

/// Where [`write_signed`] put the files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenSubmission {
    /// `FILE.json`.
    pub json_path: PathBuf,
    /// `FILE.json.minisig`.
    pub signature_path: PathBuf,
}

/// A submission whose signature, trusted comment and content all agree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedSubmission {
    /// The parsed, validated submission.
    pub submission: Submission,
    /// SHA-256 of the file, lower-case hex.
    pub sha256: String,
    /// Id of the key that signed it.
    pub key_id: KeyId,
    /// SHA-256 fingerprint of the public key that verified it.
    pub key_fingerprint: String,
    /// The verified trusted comment.
    pub comment: TrustedComment,
}

/// Canonicalises and signs a submission.
///
/// # Errors
/// [`Error::InvalidSubmission`] if the submission breaks a format rule;
/// [`Error::Signing`] if the signature cannot be made.
pub fn sign_submission(submission: &Submission, key: &SigningKey) -> Result<SignedSubmission> {
    let json = to_canonical_json(submission)?;
    let sha256 = sha256_hex(&json);
    let comment = TrustedComment {
        institution: submission.institution.id.clone(),
        year: submission.year,
        sha256: sha256.clone(),
    };
    let signature = sign_detached(&json, &comment.to_string(), key)?;
    Ok(SignedSubmission {
        json,
        signature,
        sha256,
        comment,
        key_id: key.key_id(),
    })
}

/// Makes a detached minisign signature of any bytes with the given trusted
/// comment, e.g. for the PDF report. [`sign_submission`] uses it with the
/// KTO monitor comment; [`verify`] accepts only that comment.
///
/// # Errors
/// [`Error::Signing`] if the comment contains a line break or the signature
/// cannot be made.
pub fn sign_detached(bytes: &[u8], trusted_comment: &str, key: &SigningKey) -> Result<String> {
    if trusted_comment.contains(['\n', '\r']) {
        return Err(Error::Signing {
            reason: "the trusted comment must be a single line".to_owned(),
        });
    }
    let untrusted = format!("signature from KTO Desk key {}", key.key_id());
    minisign::sign(
        Some(&key.public),
        &key.secret,
        Cursor::new(bytes),
        Some(trusted_comment),
        Some(&untrusted),
    )
    .map(minisign::SignatureBox::into_string)
    .map_err(|e| Error::Signing {
        reason: e.to_string(),
    })
}

/// The signature path for a submission file: `FILE.json` → `FILE.json.minisig`.
pub fn signature_path_for(json_path: &Path) -> PathBuf {
    let mut name = json_path.as_os_str().to_owned();
    name.push(SIGNATURE_SUFFIX);
    PathBuf::from(name)
}

/// Writes `json_path` and `json_path.minisig`.
///
/// Both are first written to temporary files and fsynced; then the JSON and
/// the signature are renamed into place and the folder is fsynced. An
/// existing pair is replaced. A crash between the two renames leaves a new
/// JSON beside an old signature, which [`verify`] rejects rather than accepts.
///
/// # Errors
/// [`Error::Io`] naming the file that could not be written.
pub fn write_signed(json_path: &Path, signed: &SignedSubmission) -> Result<WrittenSubmission> {
    let signature_path = signature_path_for(json_path);
    let json = fsio::stage(json_path, &signed.json, 0o644)?;
    let sig = fsio::stage(&signature_path, signed.signature.as_bytes(), 0o644)?;
    json.commit()?;
    sig.commit()?;
    fsio::sync_dir(&fsio::parent_dir(json_path))?;
    Ok(WrittenSubmission {
        json_path: json_path.to_path_buf(),
        signature_path,
    })
}

/// Verifies a submission file against its signature and a public key.
///
/// Checks, in order: the public key and signature parse; the signature was
/// made by this key; the signature covers these bytes and the trusted
/// comment; the comment is a KTO monitor comment; its SHA-256 is the file's;
/// the file is a valid submission of a supported schema version; its
/// institution and year are those in the comment; it is in canonical form.
///
/// # Errors
/// [`Error::MalformedPublicKey`], [`Error::MalformedSignature`],
/// [`Error::WrongKeyId`], [`Error::BadSignature`], [`Error::MalformedComment`],
/// [`Error::CommentMismatch`], [`Error::MalformedFile`],
/// [`Error::UnsupportedSchemaVersion`], [`Error::NotCanonical`].
pub fn verify(file_bytes: &[u8], sig_text: &str, pubkey_text: &str) -> Result<VerifiedSubmission> {
    let public = PublicKey::from_text(pubkey_text)?;
    let verifier_key = {
        let trimmed = pubkey_text.trim();
        if trimmed.lines().count() == 1 {
            minisign_verify::PublicKey::from_base64(trimmed)
        } else {
            minisign_verify::PublicKey::decode(pubkey_text)
        }
    }
    .map_err(|e| Error::MalformedPublicKey {
        reason: e.to_string(),
    })?;
    let signature =
        minisign_verify::Signature::decode(sig_text).map_err(|e| Error::MalformedSignature {
            reason: e.to_string(),
        })?;

    verifier_key
        .verify(file_bytes, &signature, false)
        .map_err(|e| match e {
            minisign_verify::Error::UnexpectedKeyId => Error::WrongKeyId {
                expected: public.key_id().to_hex(),
                found: signature_key_id(sig_text)
                    .map(|k| k.to_hex())
                    .unwrap_or_else(|| "(unreadable)".to_owned()),
            },
            minisign_verify::Error::InvalidSignature => Error::BadSignature,
            minisign_verify::Error::UnexpectedAlgorithm => Error::MalformedSignature {
                reason: "it is a legacy (not pre-hashed) minisign signature, which is not accepted"
                    .to_owned(),
            },
            other => Error::MalformedSignature {
                reason: other.to_string(),
            },
        })?;

    let comment = TrustedComment::parse(signature.trusted_comment())?;
    let sha256 = sha256_hex(file_bytes);
    if comment.sha256 != sha256 {
        return Err(Error::CommentMismatch {
            field: "sha256",
            in_comment: comment.sha256,
            in_file: sha256,
        });
    }

    let submission = parse_submission(file_bytes)?;
    if comment.institution != submission.institution.id {
        return Err(Error::CommentMismatch {
            field: "institution",
            in_comment: comment.institution,
            in_file: submission.institution.id,
        });
    }
    if comment.year != submission.year {
        return Err(Error::CommentMismatch {
            field: "year",
            in_comment: comment.year.to_string(),
            in_file: submission.year.to_string(),
        });
    }
    if to_canonical_json(&submission)? != file_bytes {
        return Err(Error::NotCanonical);
    }
    Ok(VerifiedSubmission {
        submission,
        sha256,
        key_id: public.key_id(),
        key_fingerprint: public.fingerprint(),
        comment,
    })
}

/// Reads `json_path`, `json_path.minisig` and `pubkey_path` and runs [`verify`].
///
/// # Errors
/// [`Error::Io`] if a file cannot be read; otherwise as [`verify`].
pub fn verify_files(json_path: &Path, pubkey_path: &Path) -> Result<VerifiedSubmission> {
    let signature_path = signature_path_for(json_path);
    let json = std::fs::read(json_path)
        .map_err(|e| Error::io("read the submission file", json_path, e))?;
    let sig = std::fs::read_to_string(&signature_path)
        .map_err(|e| Error::io("read the signature file", &signature_path, e))?;
    let key = std::fs::read_to_string(pubkey_path)
        .map_err(|e| Error::io("read the public key file", pubkey_path, e))?;
    verify(&json, &sig, &key)
}

fn parse_submission(bytes: &[u8]) -> Result<Submission> {
    let malformed = |reason: String| Error::MalformedFile { reason };
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| malformed(format!("it is not JSON ({e})")))?;
    match value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64)
    {
        Some(v) if v == u64::from(SCHEMA_VERSION) => {}
        Some(found) => {
            return Err(Error::UnsupportedSchemaVersion {
                found,
                supported: SCHEMA_VERSION,
            })
        }
        None => return Err(malformed("it has no numeric schema_version".to_owned())),
    }
    let submission: Submission =
        serde_json::from_value(value).map_err(|e| malformed(e.to_string()))?;
    submission.validate().map_err(|e| match e {
        Error::InvalidSubmission { reason } => malformed(reason),
        other => other,
    })?;
    Ok(submission)
}

/// Key id in a signature text, read with the `minisign` crate for the error
/// message (minisign-verify does not expose it).
fn signature_key_id(sig_text: &str) -> Option<KeyId> {
    minisign::SignatureBox::from_string(sig_text)
        .ok()
        .and_then(|b| KeyId::from_slice(b.keynum()))
}
