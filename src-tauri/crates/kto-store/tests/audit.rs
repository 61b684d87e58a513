//! The audit chain over the history: intact after every kind of change, broken at the
//! first edited or deleted entry when someone drops the append-only triggers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use kto_core::activity::{Change, RecordKind as K};
use kto_core::record::{Value, Values};
use kto_store::Store;

fn change() -> Change {
    Change {
        actor: "Test User".into(),
        at: Utc.with_ymd_and_hms(2026, 3, 7, 9, 30, 0).unwrap(),
    }
}

fn cost(description: &str, cents: i64) -> Values {
    [
        ("description", Value::Text(description.into())),
        ("category", Value::Text("legal".into())),
        ("paidDate", Value::Text("2026-01-15".into())),
        ("amount", Value::Int(cents)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// A file office with created, updated, noted and deleted records: 6 history entries.
fn office() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(kto_store::DB_FILE_NAME);
    let mut store = Store::open(&path).unwrap();
    let a = store
        .create_record(&change(), K::Cost, &cost("Attorney", 100))
        .unwrap();
    store
        .update_record(&change(), K::Cost, &a.id, &cost("Attorney fees", 250))
        .unwrap();
    store
        .add_note(&change(), K::Cost, &a.id, "Invoice 2026-17")
        .unwrap();
    let b = store
        .create_record(&change(), K::Cost, &cost("Translation", 75))
        .unwrap();
    store
        .delete_record(&change(), K::Cost, &b.id, true)
        .unwrap();
    (dir, path)
}

/// Opens the raw file without the append-only triggers, as a tamperer would.
fn tamper(path: &std::path::Path, sql: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "DROP TRIGGER activities_are_append_only_update;
         DROP TRIGGER activities_are_append_only_delete;
         DROP TRIGGER audit_chain_is_append_only_update;
         DROP TRIGGER audit_chain_is_append_only_delete;",
    )
    .unwrap();
    conn.execute_batch(sql).unwrap();
}

#[test]
fn every_change_extends_an_intact_chain() {
    let (_dir, path) = office();
    let report = Store::open(&path).unwrap().verify_audit().unwrap();
    assert!(report.intact(), "{report:?}");
    assert_eq!(report.entries, 6);
}

#[test]
fn the_chain_cannot_be_rewritten_through_sqlite() {
    let (_dir, path) = office();
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert!(conn
        .execute("UPDATE audit_chain SET hash = upper(hash)", [])
        .is_err());
    assert!(conn.execute("DELETE FROM audit_chain", []).is_err());
}

#[test]
fn an_edited_entry_is_reported_by_its_seq() {
    let (_dir, path) = office();
    tamper(
        &path,
        "UPDATE activities SET new_value = '1' WHERE seq = 3;",
    );
    let report = Store::open(&path).unwrap().verify_audit().unwrap();
    assert_eq!(report.first_broken, Some(3), "{report:?}");
    assert!(report.problem.unwrap().contains("changed"));
}

#[test]
fn a_deleted_entry_breaks_the_chain_at_the_next_one() {
    let (_dir, path) = office();
    tamper(
        &path,
        "DELETE FROM activities WHERE seq = 2; DELETE FROM audit_chain WHERE seq = 2;",
    );
    let report = Store::open(&path).unwrap().verify_audit().unwrap();
    assert_eq!(report.first_broken, Some(3), "{report:?}");
}

#[test]
fn a_deleted_entry_whose_hash_remains_is_named() {
    let (_dir, path) = office();
    tamper(&path, "DELETE FROM activities WHERE seq = 6;");
    let report = Store::open(&path).unwrap().verify_audit().unwrap();
    assert_eq!(report.first_broken, Some(6), "{report:?}");
    assert!(report.problem.unwrap().contains("deleted"));
}

#[test]
fn an_entry_added_outside_the_app_has_no_hash() {
    let (_dir, path) = office();
    tamper(
        &path,
        "INSERT INTO activities (record_kind, record_id, at, actor, action)
         VALUES ('cost', 'x', '2026-03-07T09:30:00.000Z', 'mallory', 'created');",
    );
    let report = Store::open(&path).unwrap().verify_audit().unwrap();
    assert_eq!(report.first_broken, Some(7), "{report:?}");
}

#[test]
fn the_history_of_an_older_schema_is_chained_when_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(kto_store::DB_FILE_NAME);
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/schema-0001.sqlite3"
        ),
        &path,
    )
    .unwrap();
    let mut store = Store::open(&path).unwrap();
    let before = store.verify_audit().unwrap();
    assert!(before.intact(), "{before:?}");
    assert!(before.entries > 0);
    store
        .create_record(&change(), K::Cost, &cost("After the migration", 1))
        .unwrap();
    let after = store.verify_audit().unwrap();
    assert!(after.intact(), "{after:?}");
    assert_eq!(after.entries, before.entries + 1);
}
