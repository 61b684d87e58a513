//! Anchors of the office's audit chain signed with the office's key, and the one audit
//! check of the office that `kto audit verify`, `kto check` and the app run
//! ([`verify_office`]).
//!
//! Each signed monitor submission `FILE.json` gets a companion `FILE.json.audit` holding
//! the head of the audit chain when it was signed (`CHAIN:SEQ:HEAD`, see
//! [`AuditAnchor::to_text`]), with a detached minisign signature `FILE.json.audit.minisig`
//! by the same key whose trusted comment repeats the anchor and names the submission:
//!
//! ```text
//! kto-audit-anchor anchor=<CHAIN:SEQ:HEAD> submission=<sha256 of FILE.json>
//! ```
//!
//! Someone who can write the database but not sign with the office's key cannot make a
//! shortened or rewritten history agree with such an anchor. What the whole check finds
//! and what it cannot is described in `kto_store`'s audit module.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use kto_core::backup::{AuditAnchor, AuditReport, FoundAnchor};
use kto_store::Store;

use crate::error::Result;
use crate::keys::SigningKey;
use crate::sign::{sign_detached, SIGNATURE_SUFFIX};

/// Appended to a submission's file name to name its anchor file.
pub const ANCHOR_SUFFIX: &str = ".audit";
/// First word of the trusted comment of an anchor's signature.
pub const ANCHOR_TAG: &str = "kto-audit-anchor";
/// The folder inside the data folder where the app writes submissions by default.
pub const SUBMISSIONS_DIR: &str = "submissions";

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}

/// Writes `FILE.json.audit` and its signature beside the submission at `json_path`,
/// whose SHA-256 is `submission_sha256`; returns the anchor file's path.
///
/// # Errors
/// [`Error::Signing`] or [`Error::Io`].
pub fn write_anchor(
    json_path: &Path,
    submission_sha256: &str,
    anchor: &AuditAnchor,
    key: &SigningKey,
) -> Result<PathBuf> {
    let text = format!("{}\n", anchor.to_text());
    let comment = format!(
        "{ANCHOR_TAG} anchor={} submission={submission_sha256}",
        anchor.to_text()
    );
    let signature = sign_detached(text.as_bytes(), &comment, key)?;
    let path = with_suffix(json_path, ANCHOR_SUFFIX);
    let sig_path = with_suffix(&path, SIGNATURE_SUFFIX);
    crate::fsio::write_durably(&path, text.as_bytes())?;
    crate::fsio::write_durably(&sig_path, signature.as_bytes())?;
    Ok(path)
}

/// Reads one anchor file and checks its signature against the office's public keys.
fn read_anchor(path: &Path, public_keys: &[String]) -> std::result::Result<AuditAnchor, String> {
    let text = std::fs::read(path).map_err(|e| format!("it cannot be read ({e})"))?;
    let sig_path = with_suffix(path, SIGNATURE_SUFFIX);
    let sig = std::fs::read_to_string(&sig_path)
        .map_err(|e| format!("its signature {} cannot be read ({e})", sig_path.display()))?;
    let signature = minisign_verify::Signature::decode(&sig)
        .map_err(|e| format!("its signature cannot be read ({e})"))?;
    let verified = public_keys.iter().any(|k| {
        let key = if k.trim().lines().count() == 1 {
            minisign_verify::PublicKey::from_base64(k.trim())
        } else {
            minisign_verify::PublicKey::decode(k)
        };
        key.is_ok_and(|key| key.verify(&text, &signature, false).is_ok())
    });
    if !verified {
        return Err("its signature is not by any of the office's signing keys".into());
    }
    let anchor = std::str::from_utf8(&text)
        .ok()
        .and_then(AuditAnchor::from_text)
        .ok_or_else(|| "it does not hold an anchor".to_string())?;
    let expected = format!("{ANCHOR_TAG} anchor={} ", anchor.to_text());
    if !signature.trusted_comment().starts_with(&expected) {
        return Err("its signed comment names another anchor".into());
    }
    Ok(anchor)
}

/// The signed anchors in `dir` (`*.json.audit`), each checked against `public_keys`
/// (minisign public key text); the second list says which files could not be used.
pub fn signed_anchors(dir: &Path, public_keys: &[String]) -> (Vec<FoundAnchor>, Vec<String>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (found, problems);
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(&format!(".json{ANCHOR_SUFFIX}")))
        })
        .collect();
    paths.sort();
    for path in paths {
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        match read_anchor(&path, public_keys) {
            Ok(anchor) => {
                let taken_at: Option<DateTime<Utc>> = std::fs::metadata(&path)
                    .and_then(|m| m.modified())
                    .ok()
                    .map(DateTime::<Utc>::from);
                found.push(FoundAnchor {
                    anchor,
                    source: format!("the signed anchor {SUBMISSIONS_DIR}/{name}"),
                    signed: true,
                    taken_at,
                });
            }
            Err(why) => problems.push(format!("the anchor file {name} cannot be used: {why}")),
        }
    }
    (found, problems)
}

/// The office's whole audit check: [`Store::verify_office_audit`] against the sidecars
/// of the backups in `<data dir>/backups` and the signed anchors of the submissions in
/// `<data dir>/submissions`, the data folder being the one that holds `db_path`.
///
/// # Errors
/// Store errors while reading the database.
pub fn verify_office(store: &Store, db_path: &Path) -> kto_store::Result<AuditReport> {
    let data_dir = db_path.parent().unwrap_or(Path::new("."));
    let keys: Vec<String> = store
        .signing_keys()?
        .into_iter()
        .map(|k| k.public_key)
        .collect();
    let (signed, problems) = signed_anchors(&data_dir.join(SUBMISSIONS_DIR), &keys);
    let mut report =
        store.verify_office_audit(&data_dir.join(kto_store::BACKUP_DIR_NAME), &signed)?;
    for p in problems {
        report.find(p);
    }
    Ok(report)
}
