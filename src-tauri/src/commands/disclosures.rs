//! Invention disclosures.

use kto_core::activity::Activity;
use kto_core::disclosure::{
    self, Decision, Disclosure, DisclosureBoard, DisclosureInput, DisclosureQuery, DisclosureRow,
    DisclosureStage,
};
use kto_core::ids::DisclosureId;
use kto_core::page::Page;
use serde::Serialize;
use tauri::State;

use super::{change_now, today};
use crate::error::{ApiError, HostError};
use crate::state::AppState;

/// A disclosure with its history, for the record page.
#[derive(Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DisclosureDetail {
    pub disclosure: Disclosure,
    pub history: Vec<Activity>,
}

fn parse_id(id: &str) -> Result<DisclosureId, ApiError> {
    id.parse().map_err(|_| {
        HostError::BadId {
            what: "disclosure",
            id: id.to_owned(),
        }
        .into()
    })
}

#[tauri::command]
pub async fn list_disclosures(
    state: State<'_, AppState>,
    query: DisclosureQuery,
) -> Result<Page<DisclosureRow>, ApiError> {
    state.with_store(|s| Ok(s.list_disclosures(&query)?))
}

#[tauri::command]
pub async fn get_disclosure(
    state: State<'_, AppState>,
    id: String,
) -> Result<DisclosureDetail, ApiError> {
    let id = parse_id(&id)?;
    state.with_store(|s| {
        Ok(DisclosureDetail {
            disclosure: s.disclosure(id)?,
            history: s.history(&id.to_string())?,
        })
    })
}

#[tauri::command]
pub async fn create_disclosure(
    state: State<'_, AppState>,
    input: DisclosureInput,
) -> Result<Disclosure, ApiError> {
    let valid = disclosure::validate(&input, today())?;
    let change = change_now(&state)?;
    state.with_store(|s| Ok(s.create_disclosure(&change, &valid)?))
}

#[tauri::command]
pub async fn update_disclosure(
    state: State<'_, AppState>,
    id: String,
    input: DisclosureInput,
) -> Result<Disclosure, ApiError> {
    let id = parse_id(&id)?;
    let valid = disclosure::validate(&input, today())?;
    let change = change_now(&state)?;
    state.with_store(|s| Ok(s.update_disclosure(&change, id, &valid)?))
}

#[tauri::command]
pub async fn list_faculties(state: State<'_, AppState>) -> Result<Vec<String>, ApiError> {
    state.with_store(|s| Ok(s.faculties()?))
}

#[tauri::command]
pub async fn get_disclosure_board(state: State<'_, AppState>) -> Result<DisclosureBoard, ApiError> {
    state.with_store(|s| Ok(s.disclosure_board()?))
}

#[tauri::command]
pub async fn move_disclosure(
    state: State<'_, AppState>,
    id: String,
    stage: DisclosureStage,
    decision: Option<Decision>,
    decided_on: Option<chrono::NaiveDate>,
) -> Result<Disclosure, ApiError> {
    let id = parse_id(&id)?;
    let change = change_now(&state)?;
    state
        .with_store(|s| Ok(s.move_disclosure(&change, id, stage, decision, decided_on, today())?))
}
