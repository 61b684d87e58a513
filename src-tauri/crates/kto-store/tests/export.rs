//! The full export with progress and cancel: it is written beside its target and moved
//! into place only when complete, so a cancelled or failed export leaves nothing behind.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDate;
use kto_core::backup::ExportProgress;
use kto_store::{Error, Store, EXPORT_JSON_NAME};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

fn demo_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let office = kto_core::demo::office(42, today(), 60, 48);
    store.load_demo(&office, today(), "Demo").unwrap();
    store
}

/// Names in `dir`, sorted.
fn names(dir: &std::path::Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    n.sort();
    n
}

#[test]
fn an_export_reports_every_file_and_ends_with_all_files_in_place() {
    let store = demo_store();
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("KTO Desk export");
    let mut seen: Vec<ExportProgress> = Vec::new();
    let files = store
        .export_all_with(&dir, &mut |p| seen.push(p), &AtomicBool::new(false))
        .unwrap()
        .expect("not cancelled");
    // Only the finished folder is left beside it, no temporary one.
    assert_eq!(names(root.path()), vec!["KTO Desk export".to_string()]);
    assert!(files
        .iter()
        .all(|f| f.path.starts_with(&dir) && f.path.exists()));
    let here = names(&dir);
    for expected in [
        "disclosures.csv",
        "deals.csv",
        "patents.csv",
        EXPORT_JSON_NAME,
    ] {
        assert!(here.iter().any(|n| n == expected), "{expected} in {here:?}");
    }
    let disclosures = files
        .iter()
        .find(|f| f.path.ends_with("disclosures.csv"))
        .unwrap();
    assert_eq!(disclosures.rows, 48);
    // Every file was started and the last report says all are done.
    let parts = seen[0].parts;
    assert!(seen
        .iter()
        .any(|p| p.part == "disclosures.csv" && p.rows == 0));
    assert!(seen.iter().any(|p| p.part == EXPORT_JSON_NAME));
    let last = seen.last().unwrap();
    assert_eq!((last.done, last.parts), (parts, parts));
    assert!(seen.windows(2).all(|w| w[0].done <= w[1].done));
}

#[test]
fn a_cancelled_export_leaves_nothing_behind() {
    let store = demo_store();
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("export");
    let cancel = AtomicBool::new(false);
    let mut reports = 0;
    // Cancelled midway, once the deals file has begun.
    let outcome = store
        .export_all_with(
            &dir,
            &mut |p| {
                reports += 1;
                if p.part == "deals.csv" {
                    cancel.store(true, Ordering::SeqCst);
                }
            },
            &cancel,
        )
        .unwrap();
    assert!(outcome.is_none());
    assert!(reports > 1);
    assert!(!dir.exists());
    assert!(names(root.path()).is_empty(), "{:?}", names(root.path()));

    // Into an existing empty folder: cancelled, the folder stays empty.
    std::fs::create_dir(&dir).unwrap();
    let cancelled = AtomicBool::new(true);
    assert!(store
        .export_all_with(&dir, &mut |_| {}, &cancelled)
        .unwrap()
        .is_none());
    assert_eq!(names(root.path()), vec!["export".to_string()]);
    assert!(names(&dir).is_empty());

    // The same folder then takes a whole export.
    store.export_all(&dir).unwrap();
    assert!(names(&dir).contains(&EXPORT_JSON_NAME.to_string()));
    assert_eq!(names(root.path()), vec!["export".to_string()]);
}

#[test]
fn an_export_never_overwrites_and_leaves_no_temporary_folder() {
    let store = demo_store();
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("export");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("patents.csv"), "mine").unwrap();
    let err = store.export_all(&dir).unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("patents.csv")).unwrap(),
        "mine"
    );
    assert_eq!(names(&dir), vec!["patents.csv".to_string()]);
    assert_eq!(names(root.path()), vec!["export".to_string()]);
}
