//! Files kept with a record: added as raw bytes (not JSON) from the file picker, listed,
//! opened with the system's viewer from a copy in the data folder, and removed.

use kto_core::activity::RecordKind;
use kto_core::record::Attachment;
use tauri::ipc::Request;
use tauri::State;

use super::{change_now, Upload};
use crate::error::{ApiError, HostError};
use crate::state::AppState;

#[tauri::command]
pub async fn list_attachments(
    state: State<'_, AppState>,
    record_id: String,
) -> Result<Vec<Attachment>, ApiError> {
    state.with_store(|s| Ok(s.attachments(&record_id)?))
}

/// The file's bytes are the request body; the record and the file name come in the
/// headers `x-record-kind`, `x-record-id` and `x-file-name` (URI-encoded).
#[tauri::command]
pub async fn add_attachment(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Result<Attachment, ApiError> {
    let upload = Upload::of(&request)?;
    let kind = RecordKind::from_code(&upload.required("x-record-kind")?)
        .map_err(|_| HostError::Internal("unknown record kind".into()))?;
    let record_id = upload.required("x-record-id")?;
    let file_name = upload.required("x-file-name")?;
    let change = change_now(&state)?;
    state.with_store(|s| {
        Ok(s.add_attachment(&change, kind, &record_id, &file_name, upload.bytes)?)
    })
}

/// Writes a copy of the attachment into `<data dir>/opened/<id>/` (its name cleaned, the
/// path kept inside that folder: `Store::write_attachment_copy`) and opens it with the
/// system's viewer for its type.
#[tauri::command]
pub async fn open_attachment(state: State<'_, AppState>, id: String) -> Result<String, ApiError> {
    let opened = state.data_dir.join("opened");
    let path = state.with_store(|s| Ok(s.write_attachment_copy(&id, &opened)?))?;
    crate::paths::open(&path)?;
    Ok(path.display().to_string())
}

#[tauri::command]
pub async fn delete_attachment(state: State<'_, AppState>, id: String) -> Result<(), ApiError> {
    let change = change_now(&state)?;
    state.with_store(|s| Ok(s.delete_attachment(&change, &id)?))
}
