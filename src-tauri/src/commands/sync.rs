//! One office out of several laptops: the shared folder, syncing, and conflicts. The
//! engine is kto-store's sync module; a sync runs on its own connection off the async
//! runtime, so the window keeps working while another laptop's changes are applied.

use std::sync::Mutex;

use kto_core::sync::{SyncConflict, SyncReport, SyncStatus};
use kto_store::Store;
use serde::Serialize;
use tauri::State;

use super::change_now;
use crate::error::{ApiError, HostError};
use crate::paths::Target;
use crate::state::AppState;

/// Only one sync at a time (the timer and the button may meet).
static SYNCING: Mutex<()> = Mutex::new(());

/// What the Settings card and the sidebar show of the office's sync.
#[derive(Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncOverview {
    /// The shared folder; `None` while this laptop works on its own.
    pub folder: Option<String>,
    /// Whether the folder can be reached now.
    pub reachable: bool,
    pub last_synced_at: Option<chrono::DateTime<chrono::Utc>>,
    pub status: SyncStatus,
}

fn overview(s: &Store) -> Result<SyncOverview, ApiError> {
    let folder = s.shared_folder()?;
    Ok(SyncOverview {
        reachable: folder.as_ref().is_some_and(|f| f.is_dir()),
        folder: folder.map(|f| f.display().to_string()),
        last_synced_at: s.last_synced()?,
        status: s.sync_status()?,
    })
}

#[tauri::command]
pub async fn sync_overview(state: State<'_, AppState>) -> Result<SyncOverview, ApiError> {
    state.with_store(|s| overview(s))
}

/// Chooses the shared folder (picked in the dialog, or typed and `confirmed`); an empty
/// `folder` stops syncing.
#[tauri::command]
pub async fn set_sync_folder(
    state: State<'_, AppState>,
    folder: String,
    confirmed: Option<bool>,
) -> Result<SyncOverview, ApiError> {
    let path =
        state
            .grants
            .check_optional(&Some(folder), Target::Folder, confirmed.unwrap_or(false))?;
    state.with_store(|s| {
        s.set_shared_folder(path.as_deref())?;
        overview(s)
    })
}

/// Writes this laptop's changes to the shared folder and applies the others'. Fails
/// with a `notFound` error naming the folder when it cannot be reached.
#[tauri::command]
pub async fn sync_now(state: State<'_, AppState>) -> Result<SyncReport, ApiError> {
    let folder = state.with_store(|s| Ok(s.shared_folder()?))?;
    let (db, folder) = (
        state.db_path.clone(),
        folder.ok_or(HostError::NoSharedFolder)?,
    );
    super::off_runtime("the sync", move || {
        let _one = SYNCING.lock().unwrap_or_else(|p| p.into_inner());
        Ok(Store::open(&db)?.sync_folder(&folder)?)
    })
    .await
}

/// Writes a snapshot of this office into the shared folder, for a new laptop to join.
#[tauri::command]
pub async fn write_sync_snapshot(state: State<'_, AppState>) -> Result<String, ApiError> {
    state.with_store(|s| {
        let folder = s.shared_folder()?.ok_or(HostError::NoSharedFolder)?;
        Ok(s.write_snapshot(&folder)?.display().to_string())
    })
}

#[tauri::command]
pub async fn sync_conflicts(state: State<'_, AppState>) -> Result<Vec<SyncConflict>, ApiError> {
    state.with_store(|s| Ok(s.sync_conflicts()?))
}

/// Accepts a conflict's provisional choice, or swaps it for the other value.
#[tauri::command]
pub async fn resolve_conflict(
    state: State<'_, AppState>,
    id: i64,
    swap: bool,
) -> Result<Vec<SyncConflict>, ApiError> {
    let change = change_now(&state)?;
    state.with_store(|s| {
        s.resolve_conflict(&change, id, swap)?;
        Ok(s.sync_conflicts()?)
    })
}

/// Makes this fresh installation a laptop of the office whose shared folder is
/// `folder` (picked, or typed and `confirmed`): from its newest snapshot, then every
/// change after it. The folder becomes this laptop's shared folder.
#[tauri::command]
pub async fn join_office(
    state: State<'_, AppState>,
    folder: String,
    confirmed: Option<bool>,
) -> Result<SyncReport, ApiError> {
    let path = state
        .grants
        .check(&folder, Target::Folder, confirmed.unwrap_or(false))?;
    let name = state.with_store(|s| Ok(s.settings(&super::default_user())?.user_name))?;
    state.join_office(&path, &name)
}
