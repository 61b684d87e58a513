//! Tauri build step. Each command the UI may call is listed here: Tauri generates an
//! `allow-<command>` permission for it, and capabilities/default.json grants exactly these.

const COMMANDS: &[&str] = &[
    "app_status",
    "load_demo_office",
    "search_all",
    "list_disclosures",
    "get_disclosure",
    "create_disclosure",
    "update_disclosure",
    "list_people",
    "list_organisations",
    "list_faculties",
    "save_settings",
    "get_week",
    "get_board",
    "list_stages",
    "get_deal",
    "create_deal",
    "update_deal",
    "move_deal",
    "rename_stage",
    "add_stage",
    "reorder_stages",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .unwrap_or_else(|e| panic!("tauri build step failed: {e:#}"));
}
