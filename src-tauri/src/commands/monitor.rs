//! The yearly monitor: figures with drill-down, office inputs, the signing key and the
//! signed submission. The work is done by `kto_report::monitor` and, for the key and the
//! definitions in the data folder, `kto_report::office` (both shared with the CLI).
//! Submissions are written to `<data dir>/submissions/` unless the UI names another folder.

use kto_core::monitor::{
    CountedRecord, DefinitionSet, MonitorOverview, MonitorSettings, OfficeInputs, SignedExport,
    SigningKeyRecord, SubmissionRecord,
};
use kto_report::monitor as export;
use kto_report::office::{self, OfficeFolder, SignYear};
use kto_report::{Locale, PublicKey};
use serde::Serialize;
use tauri::State;

use super::{change_now, today};
use crate::error::ApiError;
use crate::paths::Target;
use crate::state::AppState;

/// The signing key in use.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SigningKeyInfo {
    /// The public key in minisign's file format: what the national monitor needs.
    pub public_key: String,
    /// Key id, 16 hex digits as minisign prints it.
    pub key_id: String,
    /// SHA-256 of the public key.
    pub fingerprint: String,
}

fn office(state: &AppState) -> OfficeFolder {
    OfficeFolder::new(&state.data_dir)
}

/// The definitions that apply (the office's installed set, else the shipped one).
fn definitions(state: &AppState) -> Result<DefinitionSet, ApiError> {
    office(state).definitions(None).map_err(ApiError::from)
}

pub(crate) fn key_info(public: &PublicKey) -> SigningKeyInfo {
    SigningKeyInfo {
        public_key: public.to_text(),
        key_id: public.key_id().to_hex(),
        fingerprint: public.fingerprint(),
    }
}

#[tauri::command]
pub async fn monitor_overview(
    state: State<'_, AppState>,
    year: i32,
) -> Result<MonitorOverview, ApiError> {
    let defs = definitions(&state)?;
    state.with_store(|s| export::overview(s, &defs, year).map_err(ApiError::from))
}

#[tauri::command]
pub async fn figure_records(
    state: State<'_, AppState>,
    year: i32,
    code: String,
) -> Result<Vec<CountedRecord>, ApiError> {
    let defs = definitions(&state)?;
    state.with_store(|s| {
        let overview = export::overview(s, &defs, year).map_err(ApiError::from)?;
        let figure = office::figure(&overview, &code).map_err(ApiError::from)?;
        Ok(s.counted_records(&figure.record_ids)?)
    })
}

#[tauri::command]
pub async fn get_office_inputs(
    state: State<'_, AppState>,
    year: i32,
) -> Result<Option<OfficeInputs>, ApiError> {
    state.with_store(|s| Ok(s.office_inputs(year)?))
}

#[tauri::command]
pub async fn save_office_inputs(
    state: State<'_, AppState>,
    inputs: OfficeInputs,
) -> Result<OfficeInputs, ApiError> {
    let change = change_now(&state)?;
    state.with_store(|s| Ok(s.save_office_inputs(&change, &inputs)?))
}

#[tauri::command]
pub async fn get_monitor_settings(state: State<'_, AppState>) -> Result<MonitorSettings, ApiError> {
    state.with_store(|s| Ok(s.monitor_settings()?))
}

#[tauri::command]
pub async fn save_monitor_settings(
    state: State<'_, AppState>,
    settings: MonitorSettings,
) -> Result<MonitorSettings, ApiError> {
    state.with_store(|s| {
        s.save_monitor_settings(&settings)?;
        Ok(s.monitor_settings()?)
    })
}

#[tauri::command]
pub async fn signing_key_info(
    state: State<'_, AppState>,
) -> Result<Option<SigningKeyInfo>, ApiError> {
    let public = office(&state).public_key().map_err(ApiError::from)?;
    Ok(public.as_ref().map(key_info))
}

#[tauri::command]
pub async fn list_signing_keys(
    state: State<'_, AppState>,
) -> Result<Vec<SigningKeyRecord>, ApiError> {
    state.with_store(|s| Ok(s.signing_keys()?))
}

#[tauri::command]
pub async fn generate_signing_key(
    state: State<'_, AppState>,
    passphrase: String,
) -> Result<SigningKeyInfo, ApiError> {
    let public = state.with_store(|s| {
        office(&state)
            .replace_key(s, &passphrase, chrono::Utc::now())
            .map_err(ApiError::from)
    })?;
    Ok(key_info(&public))
}

#[tauri::command]
pub async fn export_public_key(
    state: State<'_, AppState>,
    dir: String,
    confirmed: Option<bool>,
) -> Result<String, ApiError> {
    let dir = state
        .grants
        .check(&dir, Target::Folder, confirmed.unwrap_or(false))?;
    let written = office(&state)
        .export_public_key(&dir)
        .map_err(ApiError::from)?;
    Ok(written.display().to_string())
}

#[tauri::command]
pub async fn sign_submission(
    state: State<'_, AppState>,
    year: i32,
    passphrase: String,
    out_dir: Option<String>,
) -> Result<SignedExport, ApiError> {
    let change = change_now(&state)?;
    let out = state
        .grants
        .check_optional(&out_dir, Target::Folder, false)?;
    let locale = Locale::from(super::language(&state)?);
    let signed = state.with_store(|s| {
        let sign = SignYear {
            year,
            passphrase: &passphrase,
            out_dir: out.as_deref(),
            change: &change,
            today: today(),
            locale,
        };
        Ok(office(&state).sign_year(s, &sign)?)
    })?;
    state.grants.wrote(signed.files());
    Ok(signed)
}

#[tauri::command]
pub async fn list_submissions(
    state: State<'_, AppState>,
) -> Result<Vec<SubmissionRecord>, ApiError> {
    state.with_store(|s| Ok(s.submissions()?))
}
