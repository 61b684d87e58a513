//! A workbook (`.xlsx`, `.xls`, `.ods`) of any bytes through the import steps: the file
//! is described, its columns matched and a preview made for a kind (first byte), with no
//! panic, and nothing is ever written by a preview.
#![no_main]

use kto_core::import::ImportRequest;
use kto_core::record::KINDS;
use kto_store::{inspect_file, inspect_import, Store};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, file)) = data.split_first() else {
        return;
    };
    let kind = KINDS[usize::from(pick) % KINDS.len()].kind;
    let _ = inspect_file("fuzz.xlsx", file);
    let Ok(source) = inspect_import(kind, file, None) else {
        return;
    };
    let store = Store::open_in_memory().expect("a fresh store");
    let request = ImportRequest {
        kind,
        sheet: source.sheet,
        mapping: source.columns.into_iter().map(|c| c.target).collect(),
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 7).unwrap_or_default();
    let _ = store.preview_import(&request, file, today);
    let mut out = Vec::new();
    let rows = store.export_kind_csv(kind, &mut out).expect("an export");
    assert_eq!(rows, 0, "a preview wrote records");
});
