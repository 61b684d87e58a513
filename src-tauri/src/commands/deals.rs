//! Deal pipelines: boards, deals, moves and the office's stages.

use kto_core::activity::Activity;
use kto_core::ids::DealId;
use kto_core::page::Page;
use kto_core::pipeline::{Board, Deal, DealInput, DealRow, Outcome, Pipeline, Stage, Week};
use kto_core::record::RecordQuery;
use serde::Serialize;
use tauri::State;

use super::{change_now, today};
use crate::error::{ApiError, HostError};
use crate::state::AppState;

/// A deal with its history and the stages of its pipeline, for the deal page.
#[derive(Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DealDetail {
    pub deal: Deal,
    pub stages: Vec<Stage>,
    pub history: Vec<Activity>,
}

fn parse_id(id: &str) -> Result<DealId, ApiError> {
    id.parse().map_err(|_| {
        HostError::BadId {
            what: "deal",
            id: id.to_owned(),
        }
        .into()
    })
}

#[tauri::command]
pub async fn get_board(state: State<'_, AppState>, pipeline: Pipeline) -> Result<Board, ApiError> {
    state.with_store(|s| Ok(s.board(pipeline)?))
}

#[tauri::command]
pub async fn list_deals(
    state: State<'_, AppState>,
    pipeline: Pipeline,
    query: RecordQuery,
) -> Result<Page<DealRow>, ApiError> {
    state.with_store(|s| Ok(s.list_deals(pipeline, &query)?))
}

#[tauri::command]
pub async fn list_deal_owners(
    state: State<'_, AppState>,
    pipeline: Pipeline,
) -> Result<Vec<String>, ApiError> {
    state.with_store(|s| Ok(s.deal_owners(pipeline)?))
}

#[tauri::command]
pub async fn list_stages(
    state: State<'_, AppState>,
    pipeline: Pipeline,
) -> Result<Vec<Stage>, ApiError> {
    state.with_store(|s| Ok(s.stages(pipeline)?))
}

#[tauri::command]
pub async fn get_deal(state: State<'_, AppState>, id: String) -> Result<DealDetail, ApiError> {
    let id = parse_id(&id)?;
    state.with_store(|s| {
        let deal = s.deal(id)?;
        Ok(DealDetail {
            stages: s.stages(deal.pipeline)?,
            history: s.history(&id.to_string())?,
            deal,
        })
    })
}

#[tauri::command]
pub async fn create_deal(state: State<'_, AppState>, input: DealInput) -> Result<Deal, ApiError> {
    let change = change_now(&state)?;
    state.with_store(|s| Ok(s.create_deal(&change, &input)?))
}

#[tauri::command]
pub async fn update_deal(
    state: State<'_, AppState>,
    id: String,
    input: DealInput,
) -> Result<Deal, ApiError> {
    let id = parse_id(&id)?;
    let change = change_now(&state)?;
    state.with_store(|s| Ok(s.update_deal(&change, id, &input)?))
}

#[tauri::command]
pub async fn move_deal(
    state: State<'_, AppState>,
    id: String,
    stage_id: String,
    lost_reason: String,
) -> Result<Deal, ApiError> {
    let id = parse_id(&id)?;
    let change = change_now(&state)?;
    state.with_store(|s| Ok(s.move_deal(&change, id, &stage_id, &lost_reason)?))
}

#[tauri::command]
pub async fn rename_stage(
    state: State<'_, AppState>,
    id: String,
    name: String,
) -> Result<Stage, ApiError> {
    state.with_store(|s| Ok(s.rename_stage(&id, &name)?))
}

#[tauri::command]
pub async fn add_stage(
    state: State<'_, AppState>,
    pipeline: Pipeline,
    name: String,
    outcome: Outcome,
) -> Result<Stage, ApiError> {
    state.with_store(|s| Ok(s.add_stage(pipeline, &name, outcome)?))
}

#[tauri::command]
pub async fn reorder_stages(
    state: State<'_, AppState>,
    pipeline: Pipeline,
    ids: Vec<String>,
) -> Result<Vec<Stage>, ApiError> {
    state.with_store(|s| Ok(s.reorder_stages(pipeline, &ids)?))
}

/// Days ahead that the start page lists as upcoming.
const WEEK_HORIZON_DAYS: u64 = 14;

#[tauri::command]
pub async fn get_week(state: State<'_, AppState>) -> Result<Week, ApiError> {
    let today = today();
    let until = today
        .checked_add_days(chrono::Days::new(WEEK_HORIZON_DAYS))
        .unwrap_or(today);
    state.with_store(|s| Ok(s.week(today, until)?))
}
