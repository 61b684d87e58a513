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

use crate::error::ApiError;
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

/// The operating-system user, the author of changes until a name is set.
pub(crate) fn default_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "KTO Desk user".to_string())
}
