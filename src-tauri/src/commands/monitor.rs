//! The yearly monitor: figures with drill-down, office inputs, the signing key and the
//! signed submission. The work is done by `kto_report::monitor` (shared with the CLI).
//!
//! The signing key lives in `<data dir>/keys/kto-monitor.{pub,key}`; a replaced key is
//! moved to `<data dir>/keys/retired/` and retired in the store's key registry, so what
//! it signed stays verifiable. Submissions are written to `<data dir>/submissions/`
//! unless the UI names another folder.

use std::path::{Path, PathBuf};

use kto_core::monitor::{
    CountedRecord, DefinitionSet, MonitorOverview, MonitorSettings, OfficeInputs, SignedExport,
    SigningKeyRecord, SubmissionRecord,
};
use kto_core::validation::{Problem, ValidationErrors};
use kto_report::monitor::{self as export, ExportError, ExportRequest};
use kto_report::{Locale, PublicKey};
use kto_store::NewSigningKey;
use serde::Serialize;
use tauri::State;

use super::{change_now, today};
use crate::error::{ApiError, ErrorKind};
use crate::paths::Target;
use crate::state::AppState;

const KEY_NAME: &str = "kto-monitor";

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

fn keys_dir(state: &AppState) -> PathBuf {
    state.data_dir.join("keys")
}

fn public_path(state: &AppState) -> PathBuf {
    keys_dir(state).join(format!("{KEY_NAME}.pub"))
}

fn secret_path(state: &AppState) -> PathBuf {
    keys_dir(state).join(format!("{KEY_NAME}.key"))
}

/// The definitions: `<data dir>/monitor/definitions.json` when the office installed a
/// newer set, else the set shipped with the app.
fn definitions(state: &AppState) -> Result<DefinitionSet, ApiError> {
    let custom = state.data_dir.join("monitor").join("definitions.json");
    if custom.exists() {
        let text = std::fs::read_to_string(&custom)?;
        DefinitionSet::from_json(&text).map_err(|e| export_error(ExportError::Monitor(e)))
    } else {
        export::default_definitions().map_err(export_error)
    }
}

fn wrong_passphrase(message: impl Into<String>) -> ApiError {
    ApiError {
        kind: ErrorKind::Validation,
        message: message.into(),
        fields: ValidationErrors::one("passphrase", Problem::Invalid).0,
    }
}

fn empty_passphrase(message: impl Into<String>) -> ApiError {
    ApiError {
        kind: ErrorKind::Validation,
        message: message.into(),
        fields: ValidationErrors::one("passphrase", Problem::Required).0,
    }
}

pub(crate) fn report_error(e: kto_report::Error) -> ApiError {
    use kto_report::Error as E;
    let message = e.to_string();
    match e {
        E::WrongPassphrase => wrong_passphrase(message),
        E::EmptyPassphrase => empty_passphrase(message),
        // Shown as it is: it says why and what to do.
        E::WeakPassphrase { .. } => ApiError::new(ErrorKind::Conflict, message),
        E::Io { .. } => ApiError::new(ErrorKind::Io, message),
        E::KeyFileExists { .. } => ApiError::new(ErrorKind::Conflict, message),
        E::InvalidSubmission { .. } => ApiError::new(ErrorKind::Validation, message),
        _ => {
            eprintln!("kto-desk error: {message}");
            ApiError::new(ErrorKind::Internal, message)
        }
    }
}

pub(crate) fn export_error(e: ExportError) -> ApiError {
    match e {
        ExportError::Report(r) => report_error(r),
        ExportError::Store(s) => s.into(),
        ExportError::NoInstitution => ApiError {
            kind: ErrorKind::Validation,
            message: e.to_string(),
            fields: ValidationErrors::one("institutionId", Problem::Required).0,
        },
        ExportError::EmptyYear { .. } => ApiError {
            kind: ErrorKind::Validation,
            message: e.to_string(),
            fields: ValidationErrors::one("year", Problem::Invalid).0,
        },
        ExportError::FileExists { .. } => ApiError::new(ErrorKind::Conflict, e.to_string()),
        ExportError::Monitor(_) | ExportError::NotVerified { .. } => {
            ApiError::new(ErrorKind::Internal, e.to_string())
        }
        ExportError::StoredSubmission { .. } => ApiError::new(ErrorKind::Storage, e.to_string()),
    }
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
    state.with_store(|s| export::overview(s, &defs, year).map_err(export_error))
}

#[tauri::command]
pub async fn figure_records(
    state: State<'_, AppState>,
    year: i32,
    code: String,
) -> Result<Vec<CountedRecord>, ApiError> {
    let defs = definitions(&state)?;
    state.with_store(|s| {
        let overview = export::overview(s, &defs, year).map_err(export_error)?;
        let figure = overview
            .result
            .figures
            .iter()
            .find(|f| f.code == code)
            .ok_or_else(|| {
                ApiError::new(
                    ErrorKind::NotFound,
                    format!(
                        "there is no figure {code} in definition set {}",
                        defs.version
                    ),
                )
            })?;
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
    let path = public_path(&state);
    if !path.exists() {
        return Ok(None);
    }
    let public = kto_report::load_public_key(&path).map_err(report_error)?;
    Ok(Some(key_info(&public)))
}

#[tauri::command]
pub async fn list_signing_keys(
    state: State<'_, AppState>,
) -> Result<Vec<SigningKeyRecord>, ApiError> {
    state.with_store(|s| Ok(s.signing_keys()?))
}

/// Moves the current key pair to `keys/retired/` under its key id.
fn move_to_retired(state: &AppState) -> Result<Option<(PathBuf, PathBuf)>, ApiError> {
    let (public, secret) = (public_path(state), secret_path(state));
    if !public.exists() && !secret.exists() {
        return Ok(None);
    }
    let id = kto_report::load_public_key(&public)
        .map(|k| k.key_id().to_hex())
        .unwrap_or_else(|_| chrono::Utc::now().format("%Y%m%dT%H%M%S").to_string());
    let dir = keys_dir(state).join("retired");
    std::fs::create_dir_all(&dir)?;
    let moved_public = dir.join(format!("{KEY_NAME}-{id}.pub"));
    let moved_secret = dir.join(format!("{KEY_NAME}-{id}.key"));
    if public.exists() {
        std::fs::rename(&public, &moved_public)?;
    }
    if secret.exists() {
        std::fs::rename(&secret, &moved_secret)?;
    }
    Ok(Some((moved_public, moved_secret)))
}

#[tauri::command]
pub async fn generate_signing_key(
    state: State<'_, AppState>,
    passphrase: String,
) -> Result<SigningKeyInfo, ApiError> {
    if passphrase.is_empty() {
        return Err(empty_passphrase(
            "the passphrase is empty; choose a passphrase to protect the signing key",
        ));
    }
    let dir = keys_dir(&state);
    std::fs::create_dir_all(&dir)?;
    let moved = move_to_retired(&state)?;
    let files = match kto_report::generate_key_files(&dir, KEY_NAME, &passphrase) {
        Ok(f) => f,
        Err(e) => {
            if let Some((p, s)) = moved {
                let _ = std::fs::rename(p, public_path(&state));
                let _ = std::fs::rename(s, secret_path(&state));
            }
            return Err(report_error(e));
        }
    };
    let public = files.signing_key.public_key();
    let info = key_info(&public);
    state.with_store(|s| {
        Ok(s.replace_signing_key(
            &NewSigningKey {
                key_id: info.key_id.clone(),
                public_key: info.public_key.clone(),
                fingerprint: info.fingerprint.clone(),
            },
            chrono::Utc::now(),
        )?)
    })?;
    Ok(info)
}

#[tauri::command]
pub async fn export_public_key(
    state: State<'_, AppState>,
    dir: String,
    confirmed: Option<bool>,
) -> Result<String, ApiError> {
    let public = kto_report::load_public_key(&public_path(&state)).map_err(|e| {
        ApiError::new(
            ErrorKind::NotFound,
            format!("there is no signing key yet; generate one first ({e})"),
        )
    })?;
    let dir = state
        .grants
        .check(&dir, Target::Folder, confirmed.unwrap_or(false))?;
    std::fs::create_dir_all(&dir)?;
    let target = dir.join(format!("{KEY_NAME}-{}.pub", public.key_id().to_hex()));
    let text = public.to_text();
    match std::fs::read_to_string(&target) {
        // The same key exported before: nothing to write.
        Ok(existing) if existing == text => {}
        Ok(_) => {
            return Err(ApiError::new(
                ErrorKind::Conflict,
                format!(
                    "{} already exists with other content; KTO Desk never overwrites a file. Move it away or choose another folder",
                    target.display()
                ),
            ))
        }
        Err(_) if target.exists() || target.is_symlink() => {
            return Err(ApiError::new(
                ErrorKind::Conflict,
                format!("{} already exists and cannot be read; choose another folder", target.display()),
            ))
        }
        Err(_) => kto_report::write_durably(&target, text.as_bytes())
            .map_err(|e| ApiError::new(ErrorKind::Io, e.to_string()))?,
    }
    Ok(target.display().to_string())
}

#[tauri::command]
pub async fn sign_submission(
    state: State<'_, AppState>,
    year: i32,
    passphrase: String,
    out_dir: Option<String>,
) -> Result<SignedExport, ApiError> {
    let secret = secret_path(&state);
    if !secret.exists() {
        return Err(ApiError::new(
            ErrorKind::NotFound,
            "there is no signing key yet; generate one in the monitor's key section first",
        ));
    }
    if passphrase.is_empty() {
        return Err(empty_passphrase("type the passphrase of the signing key"));
    }
    let key = kto_report::load_secret_key(&secret, &passphrase).map_err(report_error)?;
    let defs = definitions(&state)?;
    let change = change_now(&state)?;
    let out = match out_dir.filter(|d| !d.trim().is_empty()) {
        Some(d) => state.grants.check(&d, Target::Folder, false)?,
        None => state.data_dir.join(kto_report::audit::SUBMISSIONS_DIR),
    };
    state
        .with_store(|s| {
            let locale = Locale::from(s.settings(&change.actor)?.language);
            export::export(
                s,
                &ExportRequest {
                    year,
                    definitions: &defs,
                    key: &key,
                    out_dir: Path::new(&out),
                    signer: &change.actor,
                    app_version: env!("CARGO_PKG_VERSION"),
                    now: change.at,
                    today: today(),
                    locale,
                },
            )
            .map_err(export_error)
        })
        .inspect(|signed| {
            state
                .grants
                .wrote([Path::new(&signed.pdf_path), Path::new(&signed.json_path)]);
        })
}

#[tauri::command]
pub async fn list_submissions(
    state: State<'_, AppState>,
) -> Result<Vec<SubmissionRecord>, ApiError> {
    state.with_store(|s| Ok(s.submissions()?))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_passphrase_is_a_validation_error_on_the_passphrase_field() {
        let json = serde_json::to_value(report_error(kto_report::Error::WrongPassphrase)).unwrap();
        assert_eq!(json["kind"], "validation");
        assert_eq!(json["fields"][0]["field"], "passphrase");
        assert!(json["message"]
            .as_str()
            .unwrap()
            .contains("wrong passphrase"));
    }

    #[test]
    fn an_empty_year_names_the_year_field() {
        let e = export_error(ExportError::EmptyYear {
            year: 2031,
            start: chrono::NaiveDate::from_ymd_opt(2031, 1, 1).unwrap(),
            end: chrono::NaiveDate::from_ymd_opt(2031, 12, 31).unwrap(),
        });
        let json = serde_json::to_value(e).unwrap();
        assert_eq!(json["kind"], "validation");
        assert_eq!(json["fields"][0]["field"], "year");
        assert!(json["message"]
            .as_str()
            .unwrap()
            .contains("nothing to report for 2031"));
    }
}
