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

/// Registers KTO Desk's state and commands on any Tauri builder.
pub fn builder<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::app::app_status,
        commands::app::app_ready,
        commands::app::startup_check,
        commands::app::save_settings,
        commands::app::load_demo_office,
        commands::app::search_all,
        commands::disclosures::list_disclosures,
        commands::disclosures::get_disclosure,
        commands::disclosures::create_disclosure,
        commands::disclosures::update_disclosure,
        commands::disclosures::get_disclosure_board,
        commands::disclosures::move_disclosure,
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
        commands::deals::list_deals,
        commands::deals::list_deal_owners,
        commands::deals::rename_stage,
        commands::deals::add_stage,
        commands::deals::reorder_stages,
        commands::terms::list_reference_sets,
        commands::terms::save_reference_set,
        commands::terms::delete_reference_set,
        commands::terms::get_spin_off_terms,
        commands::terms::save_spin_off_terms,
        commands::terms::check_terms,
        commands::terms::simulate_cap_table,
        commands::terms::exit_waterfall,
        commands::terms::compare_deal_forms,
        commands::terms::export_cap_table_ocf,
        commands::terms::export_term_sheet_pdf,
        commands::terms::get_learning_progress,
        commands::terms::save_lesson_progress,
        commands::records::record_kinds,
        commands::records::check_record,
        commands::records::record_deadlines,
        commands::records::list_records,
        commands::records::get_record,
        commands::records::create_record,
        commands::records::update_record,
        commands::records::delete_record,
        commands::records::get_links,
        commands::records::find_records,
        commands::records::get_timeline,
        commands::records::add_note,
        commands::records::list_views,
        commands::records::save_view,
        commands::records::delete_view,
        commands::records::consortium_toeslag,
        commands::attachments::list_attachments,
        commands::attachments::add_attachment,
        commands::attachments::open_attachment,
        commands::attachments::delete_attachment,
        commands::monitor::monitor_overview,
        commands::monitor::figure_records,
        commands::monitor::get_office_inputs,
        commands::monitor::save_office_inputs,
        commands::monitor::get_monitor_settings,
        commands::monitor::save_monitor_settings,
        commands::monitor::signing_key_info,
        commands::monitor::list_signing_keys,
        commands::monitor::generate_signing_key,
        commands::monitor::export_public_key,
        commands::monitor::sign_submission,
        commands::monitor::list_submissions,
        commands::national::national_keys,
        commands::national::register_office_key,
        commands::national::rotate_office_key,
        commands::national::generate_coordinator_key,
        commands::national::check_national_inbox,
        commands::national::write_national_outputs,
        commands::national::national_benchmark,
        commands::sync::sync_overview,
        commands::sync::set_sync_folder,
        commands::sync::sync_now,
        commands::sync::write_sync_snapshot,
        commands::sync::sync_conflicts,
        commands::sync::resolve_conflict,
        commands::sync::join_office,
        commands::data::open_written,
        commands::data::list_backups,
        commands::data::backup_now,
        commands::data::restore_backup,
        commands::data::suggest_export_targets,
        commands::data::export_everything,
        commands::data::cancel_export,
        commands::data::save_portable_backup,
        commands::data::choose_folder,
        commands::data::choose_save_file,
        commands::data::verify_audit,
        commands::import::import_kinds,
        commands::import::load_import_file,
        commands::import::inspect_import,
        commands::import::preview_import,
        commands::import::apply_import,
        commands::import::cancel_import,
        commands::import::last_import,
        commands::import::undo_last_import,
    ])
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
