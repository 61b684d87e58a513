//! The office's data as a whole: backups, restoring one, safe mode after a damaged
//! database was found at start-up, the full export and the portable backup. The export
//! reports its progress over a channel and stops when `cancel_export` sets its flag; a
//! whole export is imported back into an empty office with `import_export`.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use kto_core::backup::{
    AuditReport, BackupInfo, BackupKind, BackupList, ExportOutcome, ExportProgress, ExportTargets,
    ImportedExport, RestoreOutcome, SavedBackup, WorkbookExported,
};
use kto_core::calendar::CalendarExported;
use tauri::ipc::Channel;
use tauri::{Manager, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::{ApiError, HostError};
use crate::paths::Target;
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
        return Err(HostError::RestoreNotConfirmed.into());
    }
    state.restore_backup(&name)
}

/// The cancel flag of a running export.
#[derive(Default)]
pub struct ExportState {
    cancel: Arc<AtomicBool>,
}

impl ExportState {
    /// Writes the full export into `dir`, reporting to `progress`, until done or cancelled.
    fn run(
        &self,
        state: &AppState,
        dir: &Path,
        progress: &Channel<ExportProgress>,
    ) -> Result<ExportOutcome, ApiError> {
        self.cancel.store(false, Ordering::SeqCst);
        let files = state.with_store(|s| {
            // A closed window no longer listens; the export goes on regardless.
            Ok(s.export_all_with(dir, &mut |p| drop(progress.send(p)), &self.cancel)?)
        })?;
        Ok(kto_store::export_outcome(dir, files.as_deref()))
    }
}

/// Where the export, the portable backup and the calendar go by default: the Documents folder (else
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
        .map_or_else(crate::paths::home_dir, Ok)?;
    let targets = ExportTargets::dated(&folder, super::today());
    let grants = &app.state::<AppState>().grants;
    grants.grant(Path::new(&targets.export_folder));
    grants.grant(Path::new(&targets.backup_file));
    grants.grant(Path::new(&targets.calendar_file));
    grants.grant(Path::new(&targets.workbook_file));
    Ok(targets)
}

/// Writes the full export (a CSV file per kind, the JSON file and the attachments) into
/// `target`, sending progress to `on_progress`. Runs off the async runtime so that
/// `cancel_export` is answered while it works; a cancelled export leaves nothing behind.
#[tauri::command]
pub async fn export_everything<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    target: String,
    confirmed: Option<bool>,
    on_progress: Channel<ExportProgress>,
) -> Result<ExportOutcome, ApiError> {
    let dir = app.state::<AppState>().grants.check(
        &target,
        Target::Folder,
        confirmed.unwrap_or(false),
    )?;
    let work = move || {
        let (state, export) = (app.state::<AppState>(), app.state::<ExportState>());
        export.run(&state, &dir, &on_progress)
    };
    super::off_runtime("the export", work).await
}

/// Imports the whole export in the folder `source` into this office, which must hold no
/// records: every record with its ids, links, history and attachments, in one
/// transaction after the store's checks (`Store::import_export`). A typed folder is read
/// only once confirmed.
#[tauri::command]
pub async fn import_export<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    source: String,
    confirmed: Option<bool>,
) -> Result<ImportedExport, ApiError> {
    let state = app.state::<AppState>();
    let dir = state
        .grants
        .check(&source, Target::ExistingFolder, confirmed.unwrap_or(false))?;
    let today = super::today();
    let work = move || {
        let state = app.state::<AppState>();
        state.with_store(|s| Ok(s.import_export(&dir, today)?))
    };
    super::off_runtime("the import of the export", work).await
}

/// Asks a running export to stop; it removes what it wrote and reports `cancelled`.
#[tauri::command]
pub async fn cancel_export(export: State<'_, ExportState>) -> Result<(), ApiError> {
    export.cancel.store(true, Ordering::SeqCst);
    Ok(())
}

/// The people responsible for deals, whom a calendar export can be made for.
#[tauri::command]
pub async fn calendar_people(state: State<'_, AppState>) -> Result<Vec<String>, ApiError> {
    state.with_store(|s| Ok(s.responsible_people()?))
}

/// Writes the deadlines and deals' next actions to the iCalendar file `target` (a file
/// that does not exist yet), for the whole office or the responsible `person`, in the
/// app's language.
#[tauri::command]
pub async fn export_calendar(
    state: State<'_, AppState>,
    target: String,
    person: Option<String>,
    confirmed: Option<bool>,
) -> Result<CalendarExported, ApiError> {
    let path = state
        .grants
        .check(&target, Target::NewFile, confirmed.unwrap_or(false))?;
    let lang = super::language(&state)?;
    let (today, now) = (super::today(), chrono::Utc::now());
    let done = state
        .with_store(|s| Ok(s.export_calendar(&path, today, now, person.as_deref(), lang)?))?;
    state.grants.wrote([path.as_path()]);
    Ok(done)
}

/// Writes the Excel workbook (a sheet per kind, typed cells) to `target`, a file that
/// does not exist yet.
#[tauri::command]
pub async fn export_xlsx(
    state: State<'_, AppState>,
    target: String,
    confirmed: Option<bool>,
) -> Result<WorkbookExported, ApiError> {
    let path = state
        .grants
        .check(&target, Target::NewFile, confirmed.unwrap_or(false))?;
    let records = state.with_store(|s| Ok(s.export_xlsx(&path)?))?;
    state.grants.wrote([path.as_path()]);
    Ok(WorkbookExported {
        path: path.display().to_string(),
        records: records as u64,
    })
}

/// Writes a checked copy of the office database to `target` (a file that does not exist
/// yet), to keep or move to another computer; restored with `kto restore`.
#[tauri::command]
pub async fn save_portable_backup(
    state: State<'_, AppState>,
    target: String,
    confirmed: Option<bool>,
) -> Result<SavedBackup, ApiError> {
    let path = state
        .grants
        .check(&target, Target::NewFile, confirmed.unwrap_or(false))?;
    let size_bytes = state.with_store(|s| Ok(s.backup_to(&path)?))?;
    Ok(SavedBackup {
        path: path.display().to_string(),
        size_bytes,
    })
}

/// The native folder picker, opened by the app so that it knows what the user picked
/// (`paths.rs`); `None` when the user closes it.
#[tauri::command]
pub async fn choose_folder<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    default_path: String,
    title: String,
) -> Result<Option<String>, ApiError> {
    let mut dialog = app.dialog().file().set_title(title);
    if let Some(dir) = Path::new(&default_path).parent().filter(|d| d.is_dir()) {
        dialog = dialog.set_directory(dir);
    }
    picked(&app, dialog.blocking_pick_folder())
}

/// The native save-file picker, opened by the app so that it knows what the user picked
/// (`paths.rs`); `None` when the user closes it.
#[tauri::command]
pub async fn choose_save_file<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    default_path: String,
    title: String,
) -> Result<Option<String>, ApiError> {
    let default = Path::new(&default_path);
    let mut dialog = app.dialog().file().set_title(title);
    if let Some(dir) = default.parent().filter(|d| d.is_dir()) {
        dialog = dialog.set_directory(dir);
    }
    if let Some(name) = default.file_name() {
        dialog = dialog.set_file_name(name.to_string_lossy());
    }
    picked(&app, dialog.blocking_save_file())
}

/// Records a path the user picked and hands it to the UI.
fn picked<R: tauri::Runtime>(
    app: &tauri::AppHandle<R>,
    picked: Option<tauri_plugin_dialog::FilePath>,
) -> Result<Option<String>, ApiError> {
    let Some(path) = picked.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    app.state::<AppState>().grants.grant(&path);
    Ok(Some(path.display().to_string()))
}

/// The office's whole audit check, as `kto audit verify` runs it.
#[tauri::command]
pub async fn verify_audit(state: State<'_, AppState>) -> Result<AuditReport, ApiError> {
    state.with_store(|s| Ok(kto_report::audit::verify_office(s, &state.db_path)?))
}

/// Opens a file the app wrote in this session with the system's viewer, or with `folder`
/// the folder it is in (`paths.rs` decides which paths may be opened).
#[tauri::command]
pub async fn open_written(
    state: State<'_, AppState>,
    path: String,
    folder: Option<bool>,
) -> Result<(), ApiError> {
    let path = state.grants.openable(&path, folder.unwrap_or(false))?;
    crate::paths::open(&path)
}
