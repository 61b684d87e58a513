//! The inbox: a folder of submissions as offices send them (`FILE.json` beside
//! `FILE.json.minisig`), each checked before anything is counted. A `FILE.schema.json`
//! that came along is not a submission and is passed over.
//!
//! Per file, in order: the signature file is there; the key that signed (named by the
//! signature's key id) is registered; [`crate::verify`] accepts it with that key
//! (signature, trusted comment matching the file's SHA-256, institution and year, a
//! supported schema version, canonical form); the key is registered for the file's
//! institution and not retired before the file's year; the file satisfies the JSON
//! Schema of [`crate::SUBMISSION_SCHEMA`]; its definition version is a known one.
//!
//! Then per institution and year: a correction (a later version) replaces the file it
//! corrects only when its `supersedes` names that file's SHA-256, as
//! [`crate::monitor::export`] writes it. Two files of one institution and year of which
//! neither corrects the other are both refused: the coordinator cannot tell which one
//! stands. Every refused file carries its reason; only accepted files are aggregated.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use kto_core::monitor::DefinitionSet;
use serde::Serialize;

use super::error::{NationalError, NationalResult};
use super::registry::Registry;
use crate::canonical::sha256_hex;
use crate::error::Error;
use crate::sign::{signature_path_for, verify, SIGNATURE_SUFFIX};
use crate::submission::Submission;

/// Why a file was refused, as a stable kind a UI can branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum RefusalKind {
    /// The file could not be read.
    Unreadable,
    /// No `.minisig` beside the file, or it is not a minisign signature.
    MissingSignature,
    /// The signing key is not in the registry.
    UnregisteredKey,
    /// The signature does not match the file: changed after signing.
    Tampered,
    /// The trusted comment does not match the file (another file's signature).
    CommentMismatch,
    /// The signing key is registered for another institution.
    KeyOfAnotherInstitution,
    /// The signing key was retired before the file's year.
    KeyRetired,
    /// The file's schema version is not the one this version reads.
    UnsupportedSchema,
    /// The file breaks the JSON Schema or another rule of the format.
    InvalidFile,
    /// The definition version is not a known one.
    UnknownDefinitionVersion,
    /// The same file (same SHA-256) was received twice; it is counted once.
    Duplicate,
    /// A correction names a file that is not among the received ones.
    UnlinkedCorrection,
    /// Two files of one institution and year, neither correcting the other.
    Conflict,
}

/// A refused file's reason: its kind and a sentence saying what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Refusal {
    /// The kind.
    pub kind: RefusalKind,
    /// What is wrong and what to do.
    pub message: String,
}

impl Refusal {
    fn new(kind: RefusalKind, message: impl Into<String>) -> Self {
        Refusal {
            kind,
            message: message.into(),
        }
    }
}

/// What became of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", tag = "status")]
pub enum FileStatus {
    /// Checked and counted.
    Accepted,
    /// Valid, but replaced by a correction naming its SHA-256.
    #[serde(rename_all = "camelCase")]
    Superseded {
        /// SHA-256 of the correction that replaces it.
        by_sha256: String,
        /// File name of that correction.
        by_file: String,
    },
    /// Not counted, for this reason.
    Refused(Refusal),
}

/// One `.json` file of the inbox and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct InboxFile {
    /// File name inside the inbox folder.
    pub file: String,
    /// SHA-256 of the file's bytes, when it could be read.
    pub sha256: Option<String>,
    /// Institution id the file claims (read even from a refused file, for display).
    pub institution_id: Option<String>,
    /// Registered name of the institution, or the file's own name when unregistered.
    pub institution_name: Option<String>,
    /// Year the file claims.
    pub year: Option<i32>,
    /// Definition version the file claims.
    pub definition_version: Option<String>,
    /// SHA-256 the file says it corrects.
    pub supersedes: Option<String>,
    /// Key id that signed, when the signature could be read.
    pub key_id: Option<String>,
    /// Accepted, superseded or refused with a reason.
    #[serde(flatten)]
    pub status: FileStatus,
}

/// A submission that passed every check and is counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedSubmission {
    /// File name inside the inbox.
    pub file: String,
    /// SHA-256 of the file.
    pub sha256: String,
    /// Key id that signed it.
    pub key_id: String,
    /// The registered institution name.
    pub institution_name: String,
    /// The verified submission.
    pub submission: Submission,
}

/// The result of checking an inbox folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxReport {
    /// Every `.json` file, sorted by file name.
    pub files: Vec<InboxFile>,
    /// The accepted submissions (one per institution and year at most), sorted by
    /// institution and year.
    pub accepted: Vec<AcceptedSubmission>,
}

impl InboxReport {
    /// The refused files with their reasons.
    pub fn refused(&self) -> impl Iterator<Item = (&InboxFile, &Refusal)> {
        self.files.iter().filter_map(|f| match &f.status {
            FileStatus::Refused(r) => Some((f, r)),
            _ => None,
        })
    }
}

/// The definition sets this version of KTO Desk knows: the shipped one.
///
/// # Errors
/// [`NationalError::Report`] only if the shipped definition set is defective.
pub fn known_definitions() -> NationalResult<Vec<DefinitionSet>> {
    let defs = crate::monitor::default_definitions().map_err(|e| {
        NationalError::Report(Error::Report {
            reason: e.to_string(),
        })
    })?;
    Ok(vec![defs])
}

/// Checks every `.json` file directly inside `folder` (see the module documentation).
///
/// # Errors
/// [`NationalError::Io`] when the folder cannot be listed. Problems of single files are
/// not errors: they are refusals in the report.
pub fn check_inbox(
    folder: &Path,
    registry: &Registry,
    known_definitions: &[DefinitionSet],
) -> NationalResult<InboxReport> {
    let known_definitions: Vec<String> = known_definitions
        .iter()
        .map(|d| d.version.clone())
        .collect();
    let entries = std::fs::read_dir(folder)
        .map_err(|e| NationalError::io("list the inbox folder", folder, e))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| NationalError::io("list the inbox folder", folder, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_file = entry.file_type().map(|t| t.is_file()).unwrap_or(false);
        // `….schema.json` is the JSON Schema an office writes beside its submission; the
        // inbox checks against the schema it ships, never against one that came along.
        let is_schema = name.ends_with(".schema.json");
        if is_file && name.ends_with(".json") && !is_schema && !name.starts_with('.') {
            names.push(name);
        }
    }
    names.sort();
    let schema = schema_validator()?;
    let mut files = Vec::new();
    let mut valid: Vec<(usize, AcceptedSubmission)> = Vec::new();
    for name in names {
        let (file, accepted) = check_file(folder, &name, registry, &known_definitions, &schema);
        if let Some(a) = accepted {
            valid.push((files.len(), a));
        }
        files.push(file);
    }
    let accepted = resolve_corrections(&mut files, valid);
    Ok(InboxReport { files, accepted })
}

fn schema_validator() -> NationalResult<jsonschema::Validator> {
    let schema: serde_json::Value =
        serde_json::from_str(crate::SUBMISSION_SCHEMA).map_err(|e| {
            NationalError::Report(Error::Report {
                reason: format!("the shipped submission schema is not JSON: {e}"),
            })
        })?;
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema)
        .map_err(|e| {
            NationalError::Report(Error::Report {
                reason: format!("the shipped submission schema is not usable: {e}"),
            })
        })
}

/// Checks one file; returns its row and, when every check passed, the submission.
fn check_file(
    folder: &Path,
    name: &str,
    registry: &Registry,
    known_definitions: &[String],
    schema: &jsonschema::Validator,
) -> (InboxFile, Option<AcceptedSubmission>) {
    let path = folder.join(name);
    let mut row = InboxFile {
        file: name.to_owned(),
        sha256: None,
        institution_id: None,
        institution_name: None,
        year: None,
        definition_version: None,
        supersedes: None,
        key_id: None,
        status: FileStatus::Accepted,
    };
    let refuse = |mut row: InboxFile, kind, message: String| {
        row.status = FileStatus::Refused(Refusal::new(kind, message));
        (row, None)
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            return refuse(
                row,
                RefusalKind::Unreadable,
                format!("the file cannot be read: {e}"),
            )
        }
    };
    let sha256 = sha256_hex(&bytes);
    row.sha256 = Some(sha256.clone());
    // What the file claims, for display even when it is refused.
    let claimed: Option<serde_json::Value> = serde_json::from_slice(&bytes).ok();
    if let Some(v) = &claimed {
        row.institution_id = v["institution"]["id"].as_str().map(str::to_owned);
        row.institution_name = v["institution"]["name"].as_str().map(str::to_owned);
        row.year = v["year"].as_i64().and_then(|y| i32::try_from(y).ok());
        row.definition_version = v["definition_version"].as_str().map(str::to_owned);
        row.supersedes = v["supersedes"].as_str().map(str::to_owned);
    }
    let sig_path = signature_path_for(&path);
    let Ok(sig_text) = std::fs::read_to_string(&sig_path) else {
        return refuse(
            row,
            RefusalKind::MissingSignature,
            format!("the signature file {name}{SIGNATURE_SUFFIX} is missing or unreadable; ask the office to send the .minisig file written with the submission"),
        );
    };
    let key_id = match minisign::SignatureBox::from_string(&sig_text)
        .ok()
        .and_then(|b| <[u8; 8]>::try_from(b.keynum()).ok())
    {
        Some(bytes) => crate::keys::KeyId(bytes).to_hex(),
        None => {
            return refuse(
                row,
                RefusalKind::MissingSignature,
                format!("{name}{SIGNATURE_SUFFIX} is not a minisign signature; ask the office for the .minisig file written with the submission"),
            )
        }
    };
    row.key_id = Some(key_id.clone());
    let Some(key) = registry.by_key_id(&key_id) else {
        return refuse(
            row,
            RefusalKind::UnregisteredKey,
            format!("it is signed with key {key_id}, which is not in the key registry; register the office's .pub file (Office keys in the app, `kto national keys add` on the command line) once the office confirms the key is theirs"),
        );
    };
    let verified = match verify(&bytes, &sig_text, &key.public_key) {
        Ok(v) => v,
        Err(e) => {
            let kind = match e {
                Error::BadSignature => RefusalKind::Tampered,
                Error::CommentMismatch { .. } | Error::MalformedComment { .. } => {
                    RefusalKind::CommentMismatch
                }
                Error::UnsupportedSchemaVersion { .. } => RefusalKind::UnsupportedSchema,
                Error::MalformedSignature { .. } | Error::WrongKeyId { .. } => {
                    RefusalKind::MissingSignature
                }
                _ => RefusalKind::InvalidFile,
            };
            return refuse(row, kind, e.to_string());
        }
    };
    let sub = verified.submission;
    if key.institution_id != sub.institution.id {
        return refuse(
            row,
            RefusalKind::KeyOfAnotherInstitution,
            format!(
                "it says it is from {}, but it is signed with key {key_id}, which is registered for {} ({}); only {}'s own registered key counts for it",
                sub.institution.id, key.institution_id, key.institution_name, sub.institution.id
            ),
        );
    }
    row.institution_name = Some(key.institution_name.clone());
    if !key.valid_for(sub.year) {
        return refuse(
            row,
            RefusalKind::KeyRetired,
            format!(
                "it is for {}, but key {key_id} of {} was retired after {}; ask the office to sign it with its current key",
                sub.year,
                key.institution_id,
                key.last_year.unwrap_or(sub.year)
            ),
        );
    }
    let instance: serde_json::Value = claimed.unwrap_or(serde_json::Value::Null);
    let problems: Vec<String> = schema
        .iter_errors(&instance)
        .take(3)
        .map(|e| format!("{} (at `{}`)", e, e.instance_path()))
        .collect();
    if !problems.is_empty() {
        return refuse(
            row,
            RefusalKind::InvalidFile,
            format!(
                "it does not follow the submission schema: {}",
                problems.join("; ")
            ),
        );
    }
    if !known_definitions.contains(&sub.definition_version) {
        return refuse(
            row,
            RefusalKind::UnknownDefinitionVersion,
            format!(
                "its figures follow definition version {}, which this version of KTO Desk does not know (it knows {}); update KTO Desk or ask the office to compute with a known set",
                sub.definition_version,
                known_definitions.join(", ")
            ),
        );
    }
    let accepted = AcceptedSubmission {
        file: name.to_owned(),
        sha256,
        key_id,
        institution_name: key.institution_name.clone(),
        submission: sub,
    };
    (row, Some(accepted))
}

/// Applies corrections per institution and year; marks the superseded and the refused
/// rows and returns the files that stand.
fn resolve_corrections(
    rows: &mut [InboxFile],
    valid: Vec<(usize, AcceptedSubmission)>,
) -> Vec<AcceptedSubmission> {
    let mut groups: BTreeMap<(String, i32), Vec<(usize, AcceptedSubmission)>> = BTreeMap::new();
    for (i, a) in valid {
        groups
            .entry((a.submission.institution.id.clone(), a.submission.year))
            .or_default()
            .push((i, a));
    }
    let mut accepted = Vec::new();
    for ((institution, year), mut group) in groups {
        // The same bytes twice: keep the first name, refuse the copies.
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        group.retain(|(i, a)| match seen.get(&a.sha256) {
            Some(first) => {
                rows[*i].status = FileStatus::Refused(Refusal::new(
                    RefusalKind::Duplicate,
                    format!("it is the same file as {first} (same SHA-256); it is counted once, as {first}"),
                ));
                false
            }
            None => {
                seen.insert(a.sha256.clone(), a.file.clone());
                true
            }
        });
        if group.len() == 1 {
            if let Some((_, a)) = group.pop() {
                accepted.push(a);
            }
            continue;
        }
        let hashes: BTreeSet<String> = group.iter().map(|(_, a)| a.sha256.clone()).collect();
        let listing = group
            .iter()
            .map(|(_, a)| format!("{} ({})", a.file, short(&a.sha256)))
            .collect::<Vec<_>>()
            .join(", ");
        let named: BTreeSet<String> = group
            .iter()
            .filter_map(|(_, a)| a.submission.supersedes.clone())
            .collect();
        // A correction must name a received file of the same institution and year (a
        // file that is itself corrected may name one that was not sent again).
        group.retain(|(i, a)| match &a.submission.supersedes {
            Some(h) if !hashes.contains(h) && !named.contains(&a.sha256) => {
                rows[*i].status = FileStatus::Refused(Refusal::new(
                    RefusalKind::UnlinkedCorrection,
                    format!("it says it corrects the file with SHA-256 {h}, which is none of the received files of {institution} {year} ({listing}); ask the office which file it corrects"),
                ));
                false
            }
            _ => true,
        });
        let corrected: BTreeSet<&str> = group
            .iter()
            .filter_map(|(_, a)| a.submission.supersedes.as_deref())
            .collect();
        let heads: Vec<usize> = group
            .iter()
            .enumerate()
            .filter(|(_, (_, a))| !corrected.contains(a.sha256.as_str()))
            .map(|(n, _)| n)
            .collect();
        let branched = {
            let mut targets = BTreeSet::new();
            group.iter().any(|(_, a)| {
                a.submission
                    .supersedes
                    .as_ref()
                    .is_some_and(|h| !targets.insert(h.clone()))
            })
        };
        if heads.len() != 1 || branched {
            for (i, _) in &group {
                rows[*i].status = FileStatus::Refused(Refusal::new(
                    RefusalKind::Conflict,
                    format!("{institution} sent more than one submission for {year} and they do not form one line of corrections ({listing}); none is counted. Ask the office which stands, and for a correction whose `supersedes` names the SHA-256 of the file it corrects"),
                ));
            }
            continue;
        }
        let head_index = heads[0];
        let (_, head) = group.swap_remove(head_index);
        for (i, _) in &group {
            rows[*i].status = FileStatus::Superseded {
                by_sha256: head.sha256.clone(),
                by_file: head.file.clone(),
            };
        }
        // Superseded files point to the head for display; chains of several corrections
        // name the latest one, which is the one counted.
        accepted.push(head);
    }
    accepted
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}
