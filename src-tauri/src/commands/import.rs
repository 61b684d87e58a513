//! Spreadsheet import. The chosen file is sent once as raw bytes and kept here while the
//! user maps its columns, previews and applies it; the import reports its progress over a
//! channel and stops when `cancel_import` sets the flag it checks between rows.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use kto_core::activity::RecordKind;
use kto_core::import::{
    ImportBatch, ImportChoice, ImportFile, ImportOutcome, ImportPreview, ImportProgress,
    ImportRequest, ImportSource, UndoOutcome,
};
use tauri::ipc::{Channel, Request};
use tauri::{Manager, State};

use super::{change_now, today, Upload};
use crate::error::{ApiError, HostError};
use crate::state::AppState;

/// The file being imported and the cancel flag of a running import.
#[derive(Default)]
pub struct ImportState {
    file: Mutex<Option<LoadedFile>>,
    cancel: Arc<AtomicBool>,
}

#[derive(Clone)]
struct LoadedFile {
    name: String,
    bytes: Arc<Vec<u8>>,
}

impl ImportState {
    fn file(&self) -> Result<LoadedFile, ApiError> {
        self.file
            .lock()
            .map_err(|_| crate::state::poisoned())?
            .clone()
            .ok_or_else(|| HostError::NoImportFile.into())
    }

    /// Imports the loaded file with `request` and `choices`, reporting to `progress`; the
    /// file is forgotten once imported (kept when the import was cancelled).
    fn apply(
        &self,
        state: &AppState,
        request: &ImportRequest,
        choices: &[ImportChoice],
        progress: &Channel<ImportProgress>,
    ) -> Result<ImportOutcome, ApiError> {
        let file = self.file()?;
        self.cancel.store(false, Ordering::SeqCst);
        let change = change_now(state)?;
        let outcome = state.with_store(|s| {
            Ok(s.apply_import(
                &change,
                &file.name,
                request,
                &file.bytes,
                choices,
                // A closed window no longer listens; the import goes on regardless.
                &mut |p| drop(progress.send(p)),
                &self.cancel,
            )?)
        })?;
        if !outcome.cancelled {
            self.set_file(None)?;
        }
        Ok(outcome)
    }

    fn set_file(&self, file: Option<LoadedFile>) -> Result<(), ApiError> {
        *self.file.lock().map_err(|_| crate::state::poisoned())? = file;
        Ok(())
    }
}

/// The kinds an import reads with their fields: disclosures and deals (with the columns
/// of a spreadsheet, such as the inventors in one cell) and every generic kind.
#[tauri::command]
pub async fn import_kinds() -> Vec<kto_core::record::KindSpec> {
    kto_core::import::import_specs()
        .into_iter()
        .copied()
        .collect()
}

/// The file's bytes are the request body, its name the header `x-file-name`
/// (URI-encoded). Says whether it is CSV or a workbook and lists a workbook's sheets.
#[tauri::command]
pub async fn load_import_file(
    import: State<'_, ImportState>,
    request: Request<'_>,
) -> Result<ImportFile, ApiError> {
    let upload = Upload::of(&request)?;
    let name = upload
        .header("x-file-name")
        .unwrap_or_else(|| "import".to_string());
    import.set_file(None)?;
    let info = kto_store::inspect_file(&name, upload.bytes)?;
    let bytes = Arc::new(upload.bytes.clone());
    import.set_file(Some(LoadedFile { name, bytes }))?;
    Ok(info)
}

/// The loaded file's columns for `kind`, matched automatically to its fields.
#[tauri::command]
pub async fn inspect_import(
    import: State<'_, ImportState>,
    kind: RecordKind,
    sheet: Option<String>,
) -> Result<ImportSource, ApiError> {
    let file = import.file()?;
    Ok(kto_store::inspect_import(
        kind,
        &file.bytes,
        sheet.as_deref(),
    )?)
}

/// What importing the loaded file with `request` would do; writes nothing.
#[tauri::command]
pub async fn preview_import(
    state: State<'_, AppState>,
    import: State<'_, ImportState>,
    request: ImportRequest,
) -> Result<ImportPreview, ApiError> {
    let file = import.file()?;
    state.with_store(|s| Ok(s.preview_import(&request, &file.bytes, today())?))
}

/// Imports the loaded file in one transaction, sending progress to `on_progress`. Runs
/// off the async runtime so that `cancel_import` is answered while it works.
#[tauri::command]
pub async fn apply_import<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    request: ImportRequest,
    choices: Vec<ImportChoice>,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportOutcome, ApiError> {
    let work = move || {
        let (state, import) = (app.state::<AppState>(), app.state::<ImportState>());
        import.apply(&state, &request, &choices, &on_progress)
    };
    super::off_runtime("the import", work).await
}

/// Asks a running import to stop; it rolls back and reports `cancelled`.
#[tauri::command]
pub async fn cancel_import(import: State<'_, ImportState>) -> Result<(), ApiError> {
    import.cancel.store(true, Ordering::SeqCst);
    Ok(())
}

/// The newest import that can be undone.
#[tauri::command]
pub async fn last_import(state: State<'_, AppState>) -> Result<Option<ImportBatch>, ApiError> {
    state.with_store(|s| Ok(s.last_import()?))
}

/// Undoes the newest import: deletes what it created, restores what it changed.
#[tauri::command]
pub async fn undo_last_import(state: State<'_, AppState>) -> Result<UndoOutcome, ApiError> {
    let change = change_now(&state)?;
    state.with_store(|s| Ok(s.undo_last_import(&change)?))
}
