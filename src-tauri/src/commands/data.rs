//! The office's data as a whole: backups, restoring one, and safe mode after a damaged
//! database was found at start-up.

use kto_core::backup::{BackupInfo, BackupKind, BackupList, RestoreOutcome};
use tauri::State;

use crate::error::{ApiError, ErrorKind};
use crate::state::AppState;

/// The backups in the backup folder, newest first; in safe mode also the newest one that
/// passes the integrity check.
#[tauri::command]
pub async fn list_backups(state: State<'_, AppState>) -> Result<BackupList, ApiError> {
    let dir = state.backup_dir();
    let damaged = state.damaged();
    Ok(BackupList {
        backups: kto_store::list_backups(&dir)?,
        folder: dir.display().to_string(),
        damaged,
        newest_good: if damaged {
            kto_store::newest_good_backup(&dir)?.map(|b| b.name)
        } else {
            None
        },
    })
}

/// Makes a manual backup now.
#[tauri::command]
pub async fn backup_now(state: State<'_, AppState>) -> Result<BackupInfo, ApiError> {
    let dir = state.backup_dir();
    state.with_store(|s| Ok(s.backup_into(&dir, BackupKind::Manual, chrono::Utc::now())?))
}

/// Replaces the office database with the backup `name`; refused unless `confirmed`.
#[tauri::command]
pub async fn restore_backup(
    state: State<'_, AppState>,
    name: String,
    confirmed: bool,
) -> Result<RestoreOutcome, ApiError> {
    if !confirmed {
        return Err(ApiError::new(
            ErrorKind::Validation,
            "a restore replaces the office's current data; confirm it to go on",
        ));
    }
    state.restore_backup(&name)
}
