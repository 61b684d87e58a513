//! The office's data as a whole: backups, restoring one, safe mode after a damaged
//! database was found at start-up, the full export and the portable backup. The export
//! reports its progress over a channel and stops when `cancel_export` sets its flag.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use kto_core::backup::{
    BackupInfo, BackupKind, BackupList, ExportOutcome, ExportProgress, ExportTargets,
    RestoreOutcome, SavedBackup,
};
use tauri::ipc::Channel;
use tauri::{Manager, State};

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

/// The cancel flag of a running export.
#[derive(Default)]
pub struct ExportState {
    cancel: Arc<AtomicBool>,
}

/// A path the user typed or chose: `~/` is the home folder; anything else must be a full
/// path, since a relative one would land in whatever folder the app was started from.
fn chosen_path(typed: &str) -> Result<PathBuf, ApiError> {
    let typed = typed.trim();
    let path = match typed
        .strip_prefix("~/")
        .or_else(|| typed.strip_prefix("~\\"))
    {
        Some(rest) => home_dir()?.join(rest),
        None => PathBuf::from(typed),
    };
    if typed.is_empty() || !path.is_absolute() {
        return Err(ApiError::new(
            ErrorKind::Validation,
            "give the full path of the folder or file, or choose it with \"Choose…\"",
        ));
    }
    Ok(path)
}

fn home_dir() -> Result<PathBuf, ApiError> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .ok_or_else(|| ApiError::new(ErrorKind::Io, "the home folder is not known"))
}

/// Where the export and the portable backup go by default: the Documents folder (else
/// the home folder), named with today's date.
#[tauri::command]
pub async fn suggest_export_targets<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
) -> Result<ExportTargets, ApiError> {
    let folder = app
        .path()
        .document_dir()
        .ok()
        .filter(|d| d.is_dir())
        .map_or_else(home_dir, Ok)?;
    let date = super::today().format("%Y-%m-%d");
    Ok(ExportTargets {
        export_folder: folder
            .join(format!("KTO Desk export {date}"))
            .display()
            .to_string(),
        backup_file: folder
            .join(format!("KTO Desk backup {date}.sqlite3"))
            .display()
            .to_string(),
    })
}

/// Writes the full export (a CSV file per kind, the JSON file and the attachments) into
/// `target`, sending progress to `on_progress`. Runs off the async runtime so that
/// `cancel_export` is answered while it works; a cancelled export leaves nothing behind.
#[tauri::command]
pub async fn export_everything<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    target: String,
    on_progress: Channel<ExportProgress>,
) -> Result<ExportOutcome, ApiError> {
    let dir = chosen_path(&target)?;
    let work = move || {
        let export = app.state::<ExportState>();
        let state = app.state::<AppState>();
        let cancel = Arc::clone(&export.cancel);
        cancel.store(false, Ordering::SeqCst);
        let files = state.with_store(|s| {
            // A closed window no longer listens; the export goes on regardless.
            Ok(s.export_all_with(&dir, &mut |p| drop(on_progress.send(p)), &cancel)?)
        })?;
        Ok(match files {
            Some(files) => ExportOutcome {
                folder: dir.display().to_string(),
                files: files.len() as u32,
                rows: files
                    .iter()
                    .filter(|f| f.path.extension().is_some_and(|e| e == "csv"))
                    .map(|f| f.rows as u64)
                    .sum(),
                cancelled: false,
            },
            None => ExportOutcome {
                cancelled: true,
                ..ExportOutcome::default()
            },
        })
    };
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::new(ErrorKind::Internal, format!("the export stopped: {e}")))?
}

/// Asks a running export to stop; it removes what it wrote and reports `cancelled`.
#[tauri::command]
pub async fn cancel_export(export: State<'_, ExportState>) -> Result<(), ApiError> {
    export.cancel.store(true, Ordering::SeqCst);
    Ok(())
}

/// Writes a checked copy of the office database to `target` (a file that does not exist
/// yet), to keep or move to another computer; restored with `kto restore`.
#[tauri::command]
pub async fn save_portable_backup(
    state: State<'_, AppState>,
    target: String,
) -> Result<SavedBackup, ApiError> {
    let path = chosen_path(&target)?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(kto_store::Error::file("create the folder", parent))?;
    }
    let size_bytes = state.with_store(|s| Ok(s.backup_to(&path)?))?;
    Ok(SavedBackup {
        path: path.display().to_string(),
        size_bytes,
    })
}
