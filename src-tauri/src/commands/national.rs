//! The national monitor's receiving side, for the coordinator: the key registry, the
//! inbox check, the national figures and the signed national outputs. The work is done
//! by `kto_report::national`, which `kto national` uses too.
//!
//! Everything lives in `<data dir>/national/`: the registry (`national-keys.json`) and
//! the coordinator's own key pair (`coordinator.{pub,key}`), apart from the office's
//! monitor key in `keys/`. The inbox is a folder the coordinator names; it is only read.

use kto_report::national::{
    aggregate_accepted, inbox::InboxFile, write_outputs, BenchmarkSet, NationalAggregate,
    NationalFolder, RegisteredKey, Registry, WrittenOutputs,
};
use serde::Serialize;
use tauri::State;

use super::monitor::{key_info, SigningKeyInfo};
use super::today;
use crate::error::ApiError;
use crate::paths::{full_path, Target};
use crate::state::AppState;

/// The coordinator's folder: `<data dir>/national/`.
fn national(state: &AppState) -> NationalFolder {
    NationalFolder::new(state.data_dir.join("national"))
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

impl NationalOutputs {
    fn of(written: WrittenOutputs, submissions: usize) -> Self {
        let text = |p: &std::path::Path| p.display().to_string();
        NationalOutputs {
            json: text(&written.json),
            signature: text(&written.signature),
            csv: text(&written.csv),
            xlsx: text(&written.xlsx),
            pdf: text(&written.pdf),
            sha256: written.sha256,
            submissions: u32::try_from(submissions).unwrap_or(u32::MAX),
        }
    }
}

fn keys_of(folder: &NationalFolder, registry: Registry) -> Result<NationalKeys, ApiError> {
    Ok(NationalKeys {
        keys: registry.keys,
        coordinator: folder.coordinator_key()?.as_ref().map(key_info),
    })
}

#[tauri::command]
pub async fn national_keys(state: State<'_, AppState>) -> Result<NationalKeys, ApiError> {
    let folder = national(&state);
    keys_of(&folder, folder.registry()?)
}

/// Registers an office's public key (the text of its `.pub` file) for an institution.
#[tauri::command]
pub async fn register_office_key(
    state: State<'_, AppState>,
    public_key: String,
    institution_id: String,
    institution_name: String,
) -> Result<NationalKeys, ApiError> {
    let folder = national(&state);
    let registry = folder.register(&public_key, &institution_id, &institution_name, today())?;
    keys_of(&folder, registry)
}

/// Replaces an institution's key; the old one stays valid up to and including `last_year`.
#[tauri::command]
pub async fn rotate_office_key(
    state: State<'_, AppState>,
    institution_id: String,
    public_key: String,
    last_year: i32,
) -> Result<NationalKeys, ApiError> {
    let folder = national(&state);
    let registry = folder.rotate(&institution_id, &public_key, last_year, today())?;
    keys_of(&folder, registry)
}

/// The coordinator's key pair, made once (see `NationalFolder::make_coordinator_key`).
#[tauri::command]
pub async fn generate_coordinator_key(
    state: State<'_, AppState>,
    passphrase: String,
) -> Result<NationalKeys, ApiError> {
    let folder = national(&state);
    folder.make_coordinator_key(&passphrase)?;
    keys_of(&folder, folder.registry()?)
}

/// Checks every file in the inbox folder and aggregates the accepted ones.
#[tauri::command]
pub async fn check_national_inbox(
    state: State<'_, AppState>,
    folder: String,
) -> Result<NationalInbox, ApiError> {
    let folder = full_path(&folder)?;
    let report = national(&state).check(&folder)?;
    let aggregate = aggregate_accepted(&report, chrono::Utc::now()).ok();
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
    let national = national(&state);
    let key = national.coordinator_secret(&passphrase)?;
    let out = state
        .grants
        .check(&out_dir, Target::Folder, confirmed.unwrap_or(false))?;
    let report = national.check(&full_path(&folder)?)?;
    let aggregate = aggregate_accepted(&report, chrono::Utc::now())?;
    std::fs::create_dir_all(&out)?;
    let written = write_outputs(&out, &aggregate, &key, language.into(), today())?;
    state
        .grants
        .wrote([&written.pdf, &written.json, &written.csv, &written.xlsx].map(|p| p.as_path()));
    Ok(NationalOutputs::of(written, aggregate.submissions.len()))
}

/// The benchmark of European peers: `<data dir>/national/benchmark.json` when the
/// coordinator installed a newer set, else the set shipped with the app.
#[tauri::command]
pub async fn national_benchmark(state: State<'_, AppState>) -> Result<BenchmarkSet, ApiError> {
    let defs = kto_report::monitor::default_definitions()?;
    Ok(national(&state).benchmark(&defs)?)
}
