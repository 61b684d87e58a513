//! KTO Desk's desktop host: opens the office database, registers the commands and starts
//! the window. All domain logic lives in `kto-core` and `kto-store`; this crate only
//! connects them to the UI.

pub mod commands;
pub mod error;
pub mod state;

use std::path::PathBuf;

use tauri::Manager;

use state::{AppState, DATA_DIR_ENV};

/// The data folder: `$KTO_DESK_DATA_DIR` when set, else the OS app-data folder.
fn data_dir(app: &tauri::App) -> PathBuf {
    match std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => app
            .path()
            .app_data_dir()
            .unwrap_or_else(|_| PathBuf::from(".").join("kto-desk-data")),
    }
}

/// Registers KTO Desk's state and commands on any Tauri builder.
pub fn builder<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::app::app_status,
        commands::app::save_settings,
        commands::app::load_demo_office,
        commands::app::search_all,
        commands::disclosures::list_disclosures,
        commands::disclosures::get_disclosure,
        commands::disclosures::create_disclosure,
        commands::disclosures::update_disclosure,
        commands::disclosures::list_faculties,
        commands::parties::list_people,
        commands::parties::list_organisations,
        commands::deals::get_week,
        commands::deals::get_board,
        commands::deals::list_stages,
        commands::deals::get_deal,
        commands::deals::create_deal,
        commands::deals::update_deal,
        commands::deals::move_deal,
        commands::deals::rename_stage,
        commands::deals::add_stage,
        commands::deals::reorder_stages,
    ])
}

/// Starts the app.
pub fn run() {
    #[allow(clippy::expect_used)] // start-up: without a window there is nothing to report to
    builder(tauri::Builder::default())
        .setup(|app| {
            let dir = data_dir(app);
            app.manage(AppState::open(&dir));
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("KTO Desk could not start its window");
}
