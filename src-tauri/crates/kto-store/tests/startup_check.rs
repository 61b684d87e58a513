//! The start-up check beside the first screen: reads at once, writes only into a file that
//! passed `quick_check`, and a damaged file is never written.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Seek, SeekFrom, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use kto_core::activity::{Change, RecordKind as K};
use kto_core::record::{Value, Values};
use kto_store::{Error, StartupCheck, Store};

fn change() -> Change {
    Change {
        actor: "Eva".into(),
        at: Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap(),
    }
}

fn cost(description: &str) -> Values {
    [
        ("description", Value::Text(description.into())),
        ("category", Value::Text("patent".into())),
        ("paidDate", Value::Text("2026-11-01".into())),
        ("amount", Value::Int(42_000)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// An office of a few hundred costs, closed.
fn office(path: &Path) {
    let mut store = Store::open(path).unwrap();
    for n in 0..400 {
        store
            .create_record(&change(), K::Cost, &cost(&format!("Annual fee {n}")))
            .unwrap();
    }
    store.close().unwrap();
}

fn wait_done(store: &Store) -> StartupCheck {
    let t = Instant::now();
    loop {
        let s = store.startup_check();
        if s != StartupCheck::Running || t.elapsed() > Duration::from_secs(20) {
            return s;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_sound_office_is_read_at_once_and_written_after_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(kto_store::DB_FILE_NAME);
    office(&path);

    let mut store = Store::open_checking_in_background(&path).unwrap();
    assert_eq!(
        store.find_records(K::Cost, "annual", 200).unwrap().len(),
        200,
        "read before the check is done"
    );
    // A write made while the check may still run waits for it and then commits.
    let saved = store
        .create_record(&change(), K::Cost, &cost("Renewal EP"))
        .unwrap();
    assert_eq!(store.startup_check(), StartupCheck::Passed);
    drop(store);
    let reopened = Store::open(&path).unwrap();
    assert_eq!(
        reopened.record(K::Cost, &saved.id).unwrap().title,
        "Renewal EP"
    );
    assert!(reopened.verify_audit().unwrap().first_broken.is_none());
}

#[test]
fn a_damaged_office_is_reported_and_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(kto_store::DB_FILE_NAME);
    office(&path);
    {
        // The root page of the costs table: the schema stays readable, the records not.
        let root: i64 = rusqlite::Connection::open(&path)
            .unwrap()
            .query_row(
                "SELECT rootpage FROM sqlite_schema WHERE name = 'costs'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let mut f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        f.seek(SeekFrom::Start((root as u64 - 1) * 4096)).unwrap();
        f.write_all(&[0xA5; 4096]).unwrap();
    }
    let damaged = std::fs::read(&path).unwrap();

    let mut store = Store::open_checking_in_background(&path)
        .expect("the schema is intact, so the office opens for reading");
    let saved = store.create_record(&change(), K::Cost, &cost("Renewal EP"));
    assert!(saved.is_err(), "nothing is committed into a damaged file");
    match wait_done(&store) {
        StartupCheck::Failed(reason) => assert!(!reason.is_empty()),
        other => panic!("the check reports the damage: {other:?}"),
    }
    drop(store);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        damaged,
        "the damaged file is left as it was"
    );
    // The careful path names the damage at once.
    assert!(matches!(Store::open(&path), Err(Error::Damaged(_))));
}

#[test]
fn a_new_or_outdated_file_is_checked_before_it_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(kto_store::DB_FILE_NAME);
    let store = Store::open_checking_in_background(&path).unwrap();
    assert_eq!(store.startup_check(), StartupCheck::Passed);
    drop(store);

    // An office of an older schema migrates, which writes: checked first.
    let old = dir.path().join("old.sqlite3");
    {
        let mut conn = rusqlite::Connection::open(&old).unwrap();
        kto_store::migrate_to(&mut conn, 1).unwrap();
    }
    let store = Store::open_checking_in_background(&old).unwrap();
    assert_eq!(store.startup_check(), StartupCheck::Passed);
    assert_eq!(store.schema_version().unwrap(), kto_store::LATEST_VERSION);
}
