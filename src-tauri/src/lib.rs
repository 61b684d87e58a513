//! KTO Desk's desktop host: opens the office database, registers the commands and starts
//! the window. All domain logic lives in `kto-core` and `kto-store`; this crate only
//! connects them to the UI.

pub mod commands;
pub mod error;
pub mod paths;
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

/// Registers KTO Desk's commands on any Tauri builder: every `#[tauri::command]` under
/// `commands/`, listed by build.rs.
pub fn builder<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(include!(concat!(env!("OUT_DIR"), "/commands.rs")))
}

/// Starts the app.
pub fn run() {
    commands::app::mark_start();
    #[allow(clippy::expect_used)] // start-up: without a window there is nothing to report to
    builder(tauri::Builder::default())
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let dir = data_dir(app);
            app.manage(AppState::open(&dir));
            app.manage(commands::import::ImportState::default());
            app.manage(commands::data::ExportState::default());
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("KTO Desk could not start its window");
}
