//! Spin-off terms: reference sets, a spin-off's terms and their check, cap-table and exit
//! maths, the deal-form comparison, exports (term-sheet PDF, Open Cap Format) and the
//! learning progress of Learn.
//!
//! The maths runs in `kto_core::terms` on data the UI sends, so the Learn sandbox never
//! touches a record; only `save_*` commands write.

use std::path::PathBuf;

use kto_core::money::Money;
use kto_core::record::StoredRecord;
use kto_core::terms::captable::{CapTable, Ownership, RoundOutcome};
use kto_core::terms::checker::{check, TermCheck};
use kto_core::terms::compare::{compare, FormOption, FormValue, Scenario};
use kto_core::terms::deal::DealTerms;
use kto_core::terms::exit::{waterfall_with, ExitTerms, Waterfall};
use kto_core::terms::reference::ReferenceSet;
use kto_report::ocf::{self, Issuer};
use kto_report::term_sheet::render_spin_off_term_sheet;
use kto_store::{CapTablePlan, LessonProgress, SpinOffTerms};
use serde::Serialize;
use tauri::State;

use super::{change_now, today};
use crate::error::{ApiError, HostError};
use crate::paths::Target;
use crate::state::AppState;

/// The reference sets shipped with the app (`assets/term-sets`), compiled in.
const SHIPPED_SETS: [&str; 6] = [
    include_str!("../../../assets/term-sets/unl-ip-deal-terms-2025.json"),
    include_str!("../../../assets/term-sets/usit-2023.json"),
    include_str!("../../../assets/term-sets/usit-software-2024.json"),
    include_str!("../../../assets/term-sets/sprind-2022.json"),
    include_str!("../../../assets/term-sets/eth-zurich-2025.json"),
    include_str!("../../../assets/term-sets/us-practice.json"),
];

/// The shipped sets, parsed. A shipped set that does not parse is a bug caught by tests.
pub(crate) fn shipped_sets() -> Result<Vec<ReferenceSet>, ApiError> {
    SHIPPED_SETS
        .iter()
        .map(|json| {
            ReferenceSet::from_json(json).map_err(|e| HostError::Internal(e.to_string()).into())
        })
        .collect()
}

/// A reference set as listed: shipped with the app or added by the office.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReferenceSetEntry {
    pub set: ReferenceSet,
    /// True for the sets shipped with the app (read-only).
    pub shipped: bool,
}

fn all_sets(state: &AppState) -> Result<Vec<ReferenceSetEntry>, ApiError> {
    let mut out: Vec<ReferenceSetEntry> = shipped_sets()?
        .into_iter()
        .map(|set| ReferenceSetEntry { set, shipped: true })
        .collect();
    let own = state.with_store(|s| Ok(s.office_reference_sets()?))?;
    out.extend(own.into_iter().map(|set| ReferenceSetEntry {
        set,
        shipped: false,
    }));
    Ok(out)
}

fn find_set(state: &AppState, id: &str) -> Result<ReferenceSet, ApiError> {
    all_sets(state)?
        .into_iter()
        .map(|e| e.set)
        .find(|s| s.id.0 == id)
        .ok_or_else(|| HostError::NoSuchReferenceSet { id: id.to_owned() }.into())
}

#[tauri::command]
pub async fn list_reference_sets(
    state: State<'_, AppState>,
) -> Result<Vec<ReferenceSetEntry>, ApiError> {
    all_sets(&state)
}

#[tauri::command]
pub async fn save_reference_set(
    state: State<'_, AppState>,
    set: ReferenceSet,
) -> Result<ReferenceSet, ApiError> {
    if shipped_sets()?.iter().any(|s| s.id == set.id) {
        return Err(HostError::ShippedSet { id: set.id.0 }.into());
    }
    set.validate()?;
    let change = change_now(&state)?;
    state.with_store(|s| Ok(s.save_office_reference_set(&change, &set)?))
}

#[tauri::command]
pub async fn delete_reference_set(state: State<'_, AppState>, id: String) -> Result<(), ApiError> {
    state.with_store(|s| Ok(s.delete_office_reference_set(&id)?))
}

#[tauri::command]
pub async fn get_spin_off_terms(
    state: State<'_, AppState>,
    spin_off_id: String,
) -> Result<SpinOffTerms, ApiError> {
    state.with_store(|s| Ok(s.spin_off_terms(&spin_off_id)?))
}

#[tauri::command]
pub async fn save_spin_off_terms(
    state: State<'_, AppState>,
    input: SpinOffTerms,
) -> Result<SpinOffTerms, ApiError> {
    input.terms.validate()?;
    if let Some(plan) = &input.cap_table {
        simulate(plan)?;
    }
    let change = change_now(&state)?;
    state.with_store(|s| Ok(s.save_spin_off_terms(&change, &input)?))
}

#[tauri::command]
pub async fn check_terms(
    state: State<'_, AppState>,
    terms: DealTerms,
    set_id: String,
) -> Result<Vec<TermCheck>, ApiError> {
    terms.validate()?;
    let set = find_set(&state, &set_id)?;
    Ok(check(&terms, &set))
}

/// Ownership at founding and after each round.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CapTableSimulation {
    pub founding: Vec<Ownership>,
    pub rounds: Vec<RoundOutcome>,
}

fn simulate(plan: &CapTablePlan) -> Result<(CapTable, CapTableSimulation), ApiError> {
    let table = CapTable::found(plan.founding.clone())?;
    let (last, rounds) = table.apply_rounds(&plan.rounds)?;
    Ok((
        last,
        CapTableSimulation {
            founding: table.ownership(),
            rounds,
        },
    ))
}

#[tauri::command]
pub async fn simulate_cap_table(plan: CapTablePlan) -> Result<CapTableSimulation, ApiError> {
    Ok(simulate(&plan)?.1)
}

/// `exit_terms` (option grants with strikes) may be left out: the whole pool then counts as
/// common at zero strike.
#[tauri::command]
pub async fn exit_waterfall(
    plan: CapTablePlan,
    exit_value: Money,
    exit_terms: Option<ExitTerms>,
) -> Result<Waterfall, ApiError> {
    let (table, _) = simulate(&plan)?;
    Ok(waterfall_with(
        &table,
        exit_value,
        &exit_terms.unwrap_or_default(),
    )?)
}

#[tauri::command]
pub async fn compare_deal_forms(
    scenario: Scenario,
    options: Vec<FormOption>,
) -> Result<Vec<FormValue>, ApiError> {
    Ok(compare(&scenario, &options)?)
}

/// Where an export was written.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Exported {
    pub path: String,
}

/// The file to write: `path` when given, else `file_name` in the data folder's `exports`.
fn export_path(
    state: &AppState,
    path: Option<String>,
    file_name: &str,
) -> Result<PathBuf, ApiError> {
    let path = match path.filter(|p| !p.trim().is_empty()) {
        Some(p) => state.grants.check(&p, Target::NewFile, false)?,
        None => crate::paths::fresh_file(&state.data_dir.join("exports"), file_name),
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    Ok(path)
}

/// Writes `bytes` to `path` (or `file_name` in the exports folder) through a temporary
/// file renamed into place, and notes it as written by the app.
fn write_export(
    state: &AppState,
    path: Option<String>,
    file_name: &str,
    bytes: &[u8],
) -> Result<Exported, ApiError> {
    let path = export_path(state, path, file_name)?;
    kto_report::write_durably(&path, bytes)?;
    state.grants.wrote([path.as_path()]);
    Ok(Exported {
        path: path.display().to_string(),
    })
}

/// A file-name friendly form of a company name.
fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() {
        "spin-off".to_owned()
    } else {
        s
    }
}

/// A spin-off's record and stored terms.
fn spin_off(state: &AppState, spin_off_id: &str) -> Result<(StoredRecord, SpinOffTerms), ApiError> {
    state.with_store(|s| {
        let record = s.record(kto_core::activity::RecordKind::SpinOff, spin_off_id)?;
        Ok((record, s.spin_off_terms(spin_off_id)?))
    })
}

/// Writes the spin-off's cap table as an Open Cap Format package (`.ocf.zip`).
#[tauri::command]
pub async fn export_cap_table_ocf(
    state: State<'_, AppState>,
    spin_off_id: String,
    path: Option<String>,
) -> Result<Exported, ApiError> {
    let (record, stored) = spin_off(&state, &spin_off_id)?;
    let plan = stored.cap_table.ok_or(HostError::NoCapTable)?;
    let issuer = Issuer::of_spin_off(&record);
    let bytes = ocf::package(&issuer, &plan, today(), chrono::Utc::now())?.to_zip()?;
    let file_name = format!("{}-cap-table.ocf.zip", slug(&record.title));
    write_export(&state, path, &file_name, &bytes)
}

#[tauri::command]
pub async fn export_term_sheet_pdf(
    state: State<'_, AppState>,
    spin_off_id: String,
    path: Option<String>,
) -> Result<Exported, ApiError> {
    let (record, stored) = spin_off(&state, &spin_off_id)?;
    let name = record.title;
    let language = super::language(&state)?;
    let set = stored
        .reference_set_id
        .as_ref()
        .and_then(|id| find_set(&state, id).ok());
    let bytes = render_spin_off_term_sheet(&name, &stored, set.as_ref(), language, today())?;
    let file_name = format!("{}-term-sheet.pdf", slug(&name));
    write_export(&state, path, &file_name, &bytes)
}

#[tauri::command]
pub async fn get_learning_progress(
    state: State<'_, AppState>,
) -> Result<Vec<LessonProgress>, ApiError> {
    state.with_store(|s| Ok(s.learning_progress()?))
}

#[tauri::command]
pub async fn save_lesson_progress(
    state: State<'_, AppState>,
    progress: LessonProgress,
) -> Result<LessonProgress, ApiError> {
    state.with_store(|s| Ok(s.save_lesson_progress(&progress, chrono::Utc::now())?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_set_in_the_assets_folder_is_compiled_in_and_parses() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/term-sets");
        let mut on_disk: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .map(|p| {
                ReferenceSet::from_json(&std::fs::read_to_string(p).unwrap())
                    .unwrap()
                    .id
                    .0
            })
            .collect();
        let mut shipped: Vec<String> = shipped_sets()
            .unwrap()
            .into_iter()
            .map(|s| s.id.0)
            .collect();
        on_disk.sort();
        shipped.sort();
        assert_eq!(
            shipped, on_disk,
            "a set in assets/term-sets is not in SHIPPED_SETS"
        );
    }

    #[test]
    fn company_names_become_file_names() {
        assert_eq!(slug("Qubit B.V."), "qubit-b-v");
        assert_eq!(slug("  "), "spin-off");
    }
}
