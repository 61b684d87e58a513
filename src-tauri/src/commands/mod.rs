//! The commands the UI calls. Each is a few lines: take state, call the library, map the
//! error. Named `verb_noun`. Marking a function `#[tauri::command]` here is all it takes:
//! build.rs registers it, permits it in the capability and lists its name for the UI.

pub mod app;
pub mod attachments;
pub mod data;
pub mod deals;
pub mod disclosures;
pub mod import;
pub mod monitor;
pub mod national;
pub mod parties;
pub mod records;
pub mod sync;
pub mod terms;

use kto_core::activity::Change;

use crate::error::{ApiError, HostError};
use crate::state::AppState;

/// Today in the user's time zone: the date validation compares against.
pub(crate) fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// The author and time of a change made now, by the user named in settings.
pub(crate) fn change_now(state: &AppState) -> Result<Change, ApiError> {
    let actor = state.with_store(|s| Ok(s.settings(&default_user())?.user_name))?;
    Ok(Change {
        actor,
        at: chrono::Utc::now(),
    })
}

/// The language the user chose in settings.
pub(crate) fn language(state: &AppState) -> Result<kto_core::settings::Language, ApiError> {
    state.with_store(|s| Ok(s.settings(&default_user())?.language))
}

/// The operating-system user, the author of changes until a name is set.
pub(crate) fn default_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "KTO Desk user".to_string())
}

/// Runs `work` on a thread of its own, so that a long job (an import, an export, a sync,
/// the start-up check) never holds up the other calls; `what` names the job if the thread
/// dies.
pub(crate) async fn off_runtime<T: Send + 'static>(
    what: &str,
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| HostError::Internal(format!("{what} stopped: {e}")))?
}

/// A file the UI sends as the raw body of a call, with its name and other text in
/// URI-encoded headers (`x-file-name`, …).
pub(crate) struct Upload<'r> {
    request: &'r tauri::ipc::Request<'r>,
    /// The file's bytes.
    pub bytes: &'r Vec<u8>,
}

impl<'r> Upload<'r> {
    /// The upload of `request`; refused when the body is not raw bytes.
    pub(crate) fn of(request: &'r tauri::ipc::Request<'r>) -> Result<Self, ApiError> {
        match request.body() {
            tauri::ipc::InvokeBody::Raw(bytes) => Ok(Upload { request, bytes }),
            _ => Err(HostError::Internal("the file was not sent as raw bytes".into()).into()),
        }
    }

    /// The decoded header `name`, if sent.
    pub(crate) fn header(&self, name: &str) -> Option<String> {
        self.request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(percent_decode)
    }

    /// The decoded header `name`; refused when missing.
    pub(crate) fn required(&self, name: &str) -> Result<String, ApiError> {
        self.header(name)
            .ok_or_else(|| HostError::Internal(format!("missing header {name}")).into())
    }
}

/// A URI-encoded header value as text.
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
