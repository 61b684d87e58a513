//! The generic record kinds (scouting leads, patents, agreements, consortia, spin-offs,
//! income, costs and their parts), links both ways, notes, timelines and saved views.

use kto_core::activity::{Activity, RecordKind};
use kto_core::page::Page;
use kto_core::pipeline::Pipeline;
use kto_core::pipeline::RecordDeadline;
use kto_core::record::{
    KindSpec, Links, RecordQuery, RecordRef, SavedView, StoredRecord, Values, KINDS,
};
use tauri::State;

use super::change_now;
use crate::error::{ApiError, HostError};
use crate::state::AppState;
use kto_core::validation::FieldError;

#[tauri::command]
pub async fn record_kinds() -> Vec<KindSpec> {
    KINDS.to_vec()
}

/// Every problem of a record's values at once, without writing: the form asks this when
/// some of its fields could not be read, so that one save names all the problems.
#[tauri::command]
pub async fn check_record(kind: RecordKind, values: Values) -> Result<Vec<FieldError>, ApiError> {
    let spec = kto_core::record::spec(kind)
        .ok_or_else(|| HostError::Internal(format!("{kind:?} records have no form to check")))?;
    Ok(kto_core::record::validate(spec, &values, super::today())
        .map_or_else(|e| e.0, |_| Vec::new()))
}

#[tauri::command]
pub async fn list_records(
    state: State<'_, AppState>,
    kind: RecordKind,
    query: RecordQuery,
) -> Result<Page<StoredRecord>, ApiError> {
    state.with_store(|s| Ok(s.list_records(kind, &query)?))
}

#[tauri::command]
pub async fn get_record(
    state: State<'_, AppState>,
    kind: RecordKind,
    id: String,
) -> Result<StoredRecord, ApiError> {
    state.with_store(|s| Ok(s.record(kind, &id)?))
}

#[tauri::command]
pub async fn create_record(
    state: State<'_, AppState>,
    kind: RecordKind,
    values: Values,
) -> Result<StoredRecord, ApiError> {
    let change = change_now(&state)?;
    state.with_store(|s| Ok(s.create_record(&change, kind, &values)?))
}

#[tauri::command]
pub async fn update_record(
    state: State<'_, AppState>,
    kind: RecordKind,
    id: String,
    values: Values,
) -> Result<StoredRecord, ApiError> {
    let change = change_now(&state)?;
    state.with_store(|s| Ok(s.update_record(&change, kind, &id, &values)?))
}

/// Deletes a record; without `confirmed`, a record others point to is refused with a
/// conflict that lists them, so the UI can ask first.
#[tauri::command]
pub async fn delete_record(
    state: State<'_, AppState>,
    kind: RecordKind,
    id: String,
    confirmed: bool,
) -> Result<(), ApiError> {
    let change = change_now(&state)?;
    state.with_store(|s| Ok(s.delete_record(&change, kind, &id, confirmed)?))
}

#[tauri::command]
pub async fn get_links(
    state: State<'_, AppState>,
    kind: RecordKind,
    id: String,
) -> Result<Links, ApiError> {
    state.with_store(|s| Ok(s.links(kind, &id)?))
}

#[tauri::command]
pub async fn find_records(
    state: State<'_, AppState>,
    kind: RecordKind,
    text: String,
    limit: u32,
) -> Result<Vec<RecordRef>, ApiError> {
    state.with_store(|s| Ok(s.find_records(kind, &text, limit)?))
}

/// A patent's or agreement's own deadlines, past ones included (the record page lists them).
#[tauri::command]
pub async fn record_deadlines(
    state: State<'_, AppState>,
    kind: RecordKind,
    id: String,
) -> Result<Vec<RecordDeadline>, ApiError> {
    state.with_store(|s| Ok(s.record_deadlines(kind, &id)?))
}

#[tauri::command]
pub async fn get_timeline(
    state: State<'_, AppState>,
    id: String,
) -> Result<Vec<Activity>, ApiError> {
    state.with_store(|s| Ok(s.history(&id)?))
}

#[tauri::command]
pub async fn add_note(
    state: State<'_, AppState>,
    kind: RecordKind,
    id: String,
    text: String,
) -> Result<(), ApiError> {
    let change = change_now(&state)?;
    state.with_store(|s| Ok(s.add_note(&change, kind, &id, &text)?))
}

#[tauri::command]
pub async fn list_views(
    state: State<'_, AppState>,
    kind: RecordKind,
    pipeline: Option<Pipeline>,
) -> Result<Vec<SavedView>, ApiError> {
    state.with_store(|s| Ok(s.saved_views_in(kind, pipeline)?))
}

#[tauri::command]
pub async fn save_view(state: State<'_, AppState>, view: SavedView) -> Result<(), ApiError> {
    state.with_store(|s| Ok(s.save_view(&view)?))
}

#[tauri::command]
pub async fn delete_view(
    state: State<'_, AppState>,
    kind: RecordKind,
    name: String,
    pipeline: Option<Pipeline>,
) -> Result<(), ApiError> {
    state.with_store(|s| Ok(s.delete_view_in(kind, pipeline, &name)?))
}

#[tauri::command]
pub async fn consortium_toeslag(
    state: State<'_, AppState>,
    id: String,
) -> Result<Vec<kto_core::toeslag::ConsortiumToeslag>, ApiError> {
    state.with_store(|s| Ok(s.consortium_toeslag(&id)?))
}
