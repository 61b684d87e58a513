//! People and organisations, for pickers.

use kto_core::party::{Organisation, Person};
use tauri::State;

use crate::error::ApiError;
use crate::state::AppState;

#[tauri::command]
pub async fn list_people(
    state: State<'_, AppState>,
    filter: String,
    limit: u32,
) -> Result<Vec<Person>, ApiError> {
    state.with_store(|s| Ok(s.list_people(&filter, limit)?))
}

#[tauri::command]
pub async fn list_organisations(state: State<'_, AppState>) -> Result<Vec<Organisation>, ApiError> {
    state.with_store(|s| Ok(s.list_organisations()?))
}
