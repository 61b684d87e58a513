//! Files kept with a record: added as raw bytes (not JSON) from the file picker, listed,
//! opened with the system's viewer from a copy in the data folder, and removed.

use kto_core::activity::RecordKind;
use kto_core::record::Attachment;
use tauri::ipc::{InvokeBody, Request};
use tauri::State;

use super::change_now;
use crate::error::{ApiError, ErrorKind};
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
    let InvokeBody::Raw(content) = request.body() else {
        return Err(ApiError::new(
            ErrorKind::Internal,
            "the file was not sent as raw bytes",
        ));
    };
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(percent_decode)
            .ok_or_else(|| ApiError::new(ErrorKind::Internal, format!("missing header {name}")))
    };
    let kind: RecordKind =
        serde_json::from_value(serde_json::Value::String(header("x-record-kind")?))
            .map_err(|_| ApiError::new(ErrorKind::Internal, "unknown record kind"))?;
    let record_id = header("x-record-id")?;
    let file_name = header("x-file-name")?;
    let change = change_now(&state)?;
    state.with_store(|s| Ok(s.add_attachment(&change, kind, &record_id, &file_name, content)?))
}

/// Writes a copy of the attachment into `<data dir>/opened/<id>/` (its name cleaned, the
/// path kept inside that folder: `Store::write_attachment_copy`) and opens it with the
/// system's viewer for its type.
#[tauri::command]
pub async fn open_attachment(state: State<'_, AppState>, id: String) -> Result<String, ApiError> {
    let opened = state.data_dir.join("opened");
    let path = state.with_store(|s| Ok(s.write_attachment_copy(&id, &opened)?))?;
    opener::open(&path).map_err(|e| {
        ApiError::new(
            ErrorKind::Io,
            format!(
                "no program opened {} ({e}); the copy is in that folder",
                path.display()
            ),
        )
    })?;
    Ok(path.display().to_string())
}

#[tauri::command]
pub async fn delete_attachment(state: State<'_, AppState>, id: String) -> Result<(), ApiError> {
    let change = change_now(&state)?;
    state.with_store(|s| Ok(s.delete_attachment(&change, &id)?))
}

/// Decodes `%XX` escapes (as `encodeURIComponent` writes them).
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn uri_encoded_file_names_decode() {
        assert_eq!(
            percent_decode("Licentie%20v2%20%E2%82%AC.pdf"),
            "Licentie v2 €.pdf"
        );
        assert_eq!(percent_decode("100%"), "100%");
    }
}
