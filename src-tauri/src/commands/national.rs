//! The national monitor's receiving side, for the coordinator: the key registry, the
//! inbox check, the national figures and the signed national outputs. The work is done
//! by `kto_report::national`, which `kto national` uses too.
//!
//! Everything lives in `<data dir>/national/`: the registry (`national-keys.json`) and
//! the coordinator's own key pair (`coordinator.{pub,key}`), apart from the office's
//! monitor key in `keys/`. The inbox is a folder the coordinator names; it is only read.

use std::path::PathBuf;

use kto_report::national::{
    aggregate, check_inbox, inbox::InboxFile, known_definitions, shipped_benchmark, write_outputs,
    BenchmarkSet, InboxReport, NationalAggregate, NationalError, RegisteredKey, Registry,
    REGISTRY_FILE,
};
use serde::Serialize;
use tauri::State;

use super::monitor::{key_info, report_error, SigningKeyInfo};
use super::today;
use crate::error::{ApiError, ErrorKind};
use crate::paths::{full_path, Target};
use crate::state::AppState;

const COORDINATOR_KEY: &str = "coordinator";

fn national_dir(state: &AppState) -> PathBuf {
    state.data_dir.join("national")
}

fn registry_path(state: &AppState) -> PathBuf {
    national_dir(state).join(REGISTRY_FILE)
}

/// A national error as the UI sees it; the kinds follow what the user can do about it.
pub(crate) fn national_error(e: NationalError) -> ApiError {
    let message = e.to_string();
    match e {
        NationalError::Report(r) => report_error(r),
        NationalError::KeyAlreadyRegistered { .. }
        | NationalError::KeyIdTaken { .. }
        | NationalError::InstitutionHasKey { .. }
        | NationalError::NameMismatch { .. }
        | NationalError::OutputExists { .. } => ApiError::new(ErrorKind::Conflict, message),
        NationalError::InvalidInstitution(_)
        | NationalError::BadBenchmark(_)
        | NationalError::NoActiveKey { .. }
        | NationalError::NothingAccepted => ApiError::new(ErrorKind::Validation, message),
        NationalError::Io { .. } => ApiError::new(ErrorKind::Io, message),
        NationalError::BadRegistry { .. } => ApiError::new(ErrorKind::Storage, message),
        _ => {
            eprintln!("kto-desk error: {message}");
            ApiError::new(ErrorKind::Internal, message)
        }
    }
}

/// The registry and the coordinator's key.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NationalKeys {
    /// Every key ever registered, retired ones included, in the order registered.
    pub keys: Vec<RegisteredKey>,
    /// The coordinator's public key, once made: what ministries verify the aggregate with.
    pub coordinator: Option<SigningKeyInfo>,
}

/// An inbox checked: every file with its status, and the figures of the accepted ones.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NationalInbox {
    /// The folder read, as a full path.
    pub folder: String,
    /// Every `.json` file, sorted by name.
    pub files: Vec<InboxFile>,
    /// The national figures; `None` when no file was accepted.
    pub aggregate: Option<NationalAggregate>,
}

/// Where the national outputs were written.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NationalOutputs {
    pub json: String,
    pub signature: String,
    pub csv: String,
    pub xlsx: String,
    pub pdf: String,
    pub sha256: String,
    /// How many submissions the aggregate counts.
    pub submissions: u32,
}

fn coordinator_public(state: &AppState) -> PathBuf {
    national_dir(state).join(format!("{COORDINATOR_KEY}.pub"))
}

fn coordinator_secret(state: &AppState) -> PathBuf {
    national_dir(state).join(format!("{COORDINATOR_KEY}.key"))
}

fn keys_of(state: &AppState) -> Result<NationalKeys, ApiError> {
    let registry = Registry::load(&registry_path(state)).map_err(national_error)?;
    let public = coordinator_public(state);
    let coordinator = if public.exists() {
        Some(key_info(
            &kto_report::load_public_key(&public).map_err(report_error)?,
        ))
    } else {
        None
    };
    Ok(NationalKeys {
        keys: registry.keys,
        coordinator,
    })
}

#[tauri::command]
pub async fn national_keys(state: State<'_, AppState>) -> Result<NationalKeys, ApiError> {
    keys_of(&state)
}

/// Registers an office's public key (the text of its `.pub` file) for an institution.
#[tauri::command]
pub async fn register_office_key(
    state: State<'_, AppState>,
    public_key: String,
    institution_id: String,
    institution_name: String,
) -> Result<NationalKeys, ApiError> {
    let path = registry_path(&state);
    let mut registry = Registry::load(&path).map_err(national_error)?;
    registry
        .register(&public_key, &institution_id, &institution_name, today())
        .map_err(national_error)?;
    std::fs::create_dir_all(national_dir(&state))?;
    registry.save(&path).map_err(national_error)?;
    keys_of(&state)
}

/// Replaces an institution's key; the old one stays valid up to and including `last_year`.
#[tauri::command]
pub async fn rotate_office_key(
    state: State<'_, AppState>,
    institution_id: String,
    public_key: String,
    last_year: i32,
) -> Result<NationalKeys, ApiError> {
    let path = registry_path(&state);
    let mut registry = Registry::load(&path).map_err(national_error)?;
    registry
        .rotate(&institution_id, &public_key, last_year, today())
        .map_err(national_error)?;
    registry.save(&path).map_err(national_error)?;
    keys_of(&state)
}

/// The coordinator's key pair, made once; a second one is refused, so the key that
/// signed earlier aggregates is never lost.
#[tauri::command]
pub async fn generate_coordinator_key(
    state: State<'_, AppState>,
    passphrase: String,
) -> Result<NationalKeys, ApiError> {
    if coordinator_secret(&state).exists() || coordinator_public(&state).exists() {
        return Err(ApiError::new(
            ErrorKind::Conflict,
            "the coordinator already has a signing key; its public key is shown in the National area",
        ));
    }
    std::fs::create_dir_all(national_dir(&state))?;
    kto_report::generate_key_files(&national_dir(&state), COORDINATOR_KEY, &passphrase)
        .map_err(report_error)?;
    keys_of(&state)
}

fn check(state: &AppState, folder: &str) -> Result<(PathBuf, InboxReport), ApiError> {
    let folder = full_path(folder)?;
    if !folder.is_dir() {
        return Err(ApiError::new(
            ErrorKind::NotFound,
            format!(
                "{} is not a folder; choose the folder the offices' submissions (.json and .minisig) are in",
                folder.display()
            ),
        ));
    }
    let registry = Registry::load(&registry_path(state)).map_err(national_error)?;
    let defs = known_definitions().map_err(national_error)?;
    let report = check_inbox(&folder, &registry, &defs).map_err(national_error)?;
    Ok((folder, report))
}

fn national_of(report: &InboxReport) -> Result<Option<NationalAggregate>, ApiError> {
    if report.accepted.is_empty() {
        return Ok(None);
    }
    let defs = known_definitions().map_err(national_error)?;
    Ok(Some(aggregate(&report.accepted, &defs, chrono::Utc::now())))
}

/// Checks every file in the inbox folder and aggregates the accepted ones.
#[tauri::command]
pub async fn check_national_inbox(
    state: State<'_, AppState>,
    folder: String,
) -> Result<NationalInbox, ApiError> {
    let (folder, report) = check(&state, &folder)?;
    let aggregate = national_of(&report)?;
    Ok(NationalInbox {
        folder: folder.display().to_string(),
        files: report.files,
        aggregate,
    })
}

/// Signs the aggregate of the inbox with the coordinator's key and writes it with its
/// CSV, XLSX and PDF report into `out_dir`.
#[tauri::command]
pub async fn write_national_outputs(
    state: State<'_, AppState>,
    folder: String,
    passphrase: String,
    out_dir: String,
    confirmed: Option<bool>,
    language: kto_core::settings::Language,
) -> Result<NationalOutputs, ApiError> {
    let secret = coordinator_secret(&state);
    if !secret.exists() {
        return Err(ApiError::new(
            ErrorKind::NotFound,
            "the coordinator has no signing key yet; make one in the National area first",
        ));
    }
    let out = state
        .grants
        .check(&out_dir, Target::Folder, confirmed.unwrap_or(false))?;
    let (_, report) = check(&state, &folder)?;
    let national =
        national_of(&report)?.ok_or_else(|| national_error(NationalError::NothingAccepted))?;
    let key = kto_report::load_secret_key(&secret, &passphrase).map_err(report_error)?;
    std::fs::create_dir_all(&out)?;
    let written =
        write_outputs(&out, &national, &key, language.into(), today()).map_err(national_error)?;
    state.grants.wrote([
        written.pdf.as_path(),
        written.json.as_path(),
        written.csv.as_path(),
        written.xlsx.as_path(),
    ]);
    let text = |p: &std::path::Path| p.display().to_string();
    Ok(NationalOutputs {
        json: text(&written.json),
        signature: text(&written.signature),
        csv: text(&written.csv),
        xlsx: text(&written.xlsx),
        pdf: text(&written.pdf),
        sha256: written.sha256,
        submissions: u32::try_from(national.submissions.len()).unwrap_or(u32::MAX),
    })
}

/// The benchmark of European peers: `<data dir>/national/benchmark.json` when the
/// coordinator installed a newer set, else the set shipped with the app.
#[tauri::command]
pub async fn national_benchmark(state: State<'_, AppState>) -> Result<BenchmarkSet, ApiError> {
    let defs = kto_report::monitor::default_definitions().map_err(super::monitor::export_error)?;
    let custom = national_dir(&state).join("benchmark.json");
    if custom.exists() {
        let text = std::fs::read_to_string(&custom)?;
        BenchmarkSet::from_json(&text, &defs).map_err(national_error)
    } else {
        shipped_benchmark(&defs).map_err(national_error)
    }
}
