//! App status, settings and the demo office.

use kto_core::settings::Settings;
use serde::Serialize;
use tauri::State;

use super::{default_user, today};
use crate::error::ApiError;
use crate::state::AppState;

/// What the UI needs to know at start-up.
#[derive(Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppStatus {
    pub app_version: String,
    pub data_dir: String,
    pub db_path: String,
    /// Why the database could not be opened; the rest is then empty.
    pub open_error: Option<ApiError>,
    pub schema_version: Option<u32>,
    /// True on a fresh install: the UI then offers the demo office.
    pub empty: bool,
    pub settings: Settings,
}

/// How many records the demo load wrote.
#[derive(Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DemoLoaded {
    pub organisations: u32,
    pub people: u32,
    pub disclosures: u32,
    pub deals: u32,
}

impl From<kto_store::DemoCounts> for DemoLoaded {
    fn from(n: kto_store::DemoCounts) -> Self {
        let count = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
        DemoLoaded {
            organisations: count(n.organisations),
            people: count(n.people),
            disclosures: count(n.disclosures),
            deals: count(n.deals),
        }
    }
}

/// Waits for the start-up integrity check of the office database, which runs beside the
/// first screen, without blocking other calls. Fails with a `damaged` error (and puts the
/// app into safe mode) when the file did not pass.
#[tauri::command]
pub async fn startup_check(state: State<'_, AppState>) -> Result<(), ApiError> {
    let handle = state.with_store(|s| Ok(s.startup_check_handle()))?;
    if let Some(handle) = handle {
        super::off_runtime("the start-up check", move || {
            handle.wait();
            Ok(())
        })
        .await?;
    }
    state.with_store(|_| Ok(()))
}

/// When the process started, for the start-up time the UI reports.
static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Notes the start of the process; call first thing in `run`.
pub fn mark_start() {
    STARTED.get_or_init(std::time::Instant::now);
}

/// The UI shows its first usable screen: logs the time since start and the resident
/// memory, once per screen name (`scripts/bench-app.sh` reads this line).
#[tauri::command]
pub async fn app_ready(screen: String) {
    static SEEN: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let Ok(mut seen) = SEEN.lock() else { return };
    if seen.contains(&screen) || seen.len() > 32 {
        return;
    }
    seen.push(screen.clone());
    let ms = STARTED.get().map_or(0, |t| t.elapsed().as_millis());
    eprintln!("kto-desk: {screen} ready {ms} ms after start");
}

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Result<AppStatus, ApiError> {
    let opened = state.with_store(|s| {
        let settings = s.settings(&default_user())?;
        Ok((s.schema_version()?, s.is_empty()?, settings))
    });
    Ok(AppStatus::of(&state, opened.ok()))
}

impl AppStatus {
    /// The status of the app whose office, when it opened, has `opened`'s schema version,
    /// emptiness and settings.
    fn of(state: &AppState, opened: Option<(u32, bool, Settings)>) -> Self {
        let (schema_version, empty, settings) = match opened {
            Some((version, empty, settings)) => (Some(version), empty, settings),
            None => (None, false, Settings::of_user(default_user())),
        };
        AppStatus {
            app_version: env!("CARGO_PKG_VERSION").to_string(),
            data_dir: state.data_dir.display().to_string(),
            db_path: state.db_path.display().to_string(),
            // After the store was used: a start-up check that failed meanwhile shows too.
            open_error: state.open_error(),
            schema_version,
            empty,
            settings,
        }
    }
}

#[tauri::command]
pub async fn save_settings(
    state: State<'_, AppState>,
    settings: Settings,
) -> Result<Settings, ApiError> {
    state.with_store(|s| {
        s.save_settings(&settings)?;
        Ok(s.settings(&default_user())?)
    })
}

#[tauri::command]
pub async fn load_demo_office(state: State<'_, AppState>) -> Result<DemoLoaded, ApiError> {
    let today = today();
    state.with_store(|s| {
        // The demo office is written in the language the app speaks.
        let settings = s.settings(&default_user())?;
        let office = kto_core::demo::office_in(settings.language, 2026, today, 64, 48);
        Ok(s.load_demo(&office, today, &settings.user_name)?.into())
    })
}

/// Hits per kind of record in the global search.
const SEARCH_HITS_PER_KIND: u32 = 8;

#[tauri::command]
pub async fn search_all(
    state: State<'_, AppState>,
    text: String,
) -> Result<Vec<kto_core::search::SearchHit>, ApiError> {
    state.with_store(|s| Ok(s.search_all(&text, SEARCH_HITS_PER_KIND)?))
}
