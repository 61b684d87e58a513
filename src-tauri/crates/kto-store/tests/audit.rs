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

/// Drops every append-only trigger, runs `sql`, and puts the triggers back as the
/// migrations made them: a tamperer who knows to cover their tracks.
fn tamper_and_restore_triggers(path: &std::path::Path, sql: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let triggers: Vec<(String, String)> = conn
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (name, _) in &triggers {
        conn.execute_batch(&format!("DROP TRIGGER {name}")).unwrap();
    }
    conn.execute_batch(sql).unwrap();
    for (_, sql) in &triggers {
        conn.execute_batch(sql).unwrap();
    }
}

/// The office's whole check, with the anchors of the backups beside it.
fn office_check(path: &std::path::Path) -> kto_core::backup::AuditReport {
    let store = Store::open(path).unwrap();
    store
        .verify_office_audit(
            &path.parent().unwrap().join(kto_store::BACKUP_DIR_NAME),
            &[],
        )
        .unwrap()
}

/// An office with a backup (whose sidecar anchors the chain's head) taken after its
/// six history entries.
fn anchored_office() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, path) = office();
    let store = Store::open(&path).unwrap();
    store
        .backup_into(
            &dir.path().join(kto_store::BACKUP_DIR_NAME),
            kto_core::backup::BackupKind::Manual,
            Utc::now(),
        )
        .unwrap();
    (dir, path)
}

/// Recomputes every hash of the chain with the documented canonical form, as a tamperer
/// who read the audit module would.
fn rechain(path: &std::path::Path) {
    use sha2::{Digest, Sha256};
    let conn = rusqlite::Connection::open(path).unwrap();
    let (chain, sealed_after): (String, i64) = conn
        .query_row("SELECT chain, sealed_after FROM audit_chains", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let rows: Vec<(i64, Vec<Option<String>>, Option<String>)> = conn
        .prepare(
            "SELECT a.seq, a.record_kind, a.record_id, a.at, a.actor, a.action, a.field,
                    a.old_value, a.new_value, c.row_hash
             FROM activities a LEFT JOIN audit_chain c ON c.seq = a.seq ORDER BY a.seq",
        )
        .unwrap()
        .query_map([], |r| {
            let seq: i64 = r.get(0)?;
            let mut parts = vec![Some(seq.to_string())];
            for i in 1..9 {
                parts.push(r.get(i)?);
            }
            Ok((seq, parts, r.get(9)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    conn.execute_batch(
        "DROP TRIGGER audit_chain_is_append_only_update;
         DROP TRIGGER audit_chain_is_append_only_delete;
         DELETE FROM audit_chain;",
    )
    .unwrap();
    let mut prev = [0u8; 32];
    for (seq, mut parts, row_hash) in rows {
        if seq > sealed_after {
            parts.push(Some(chain.clone()));
            parts.push(row_hash.clone());
        }
        let mut h = Sha256::new();
        h.update(prev);
        for p in &parts {
            match p {
                None => h.update([0u8]),
                Some(s) => {
                    h.update([1u8]);
                    h.update((s.len() as u64).to_be_bytes());
                    h.update(s.as_bytes());
                }
            }
        }
        prev = h.finalize().into();
        let hex: String = prev.iter().map(|b| format!("{b:02x}")).collect();
        conn.execute(
            "INSERT INTO audit_chain (seq, hash, chain, row_hash) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![seq, hex, chain, row_hash],
        )
        .unwrap();
    }
    conn.execute_batch(
        "CREATE TRIGGER audit_chain_is_append_only_update BEFORE UPDATE ON audit_chain
         BEGIN SELECT RAISE(ABORT, 'the audit chain cannot be changed'); END;
         CREATE TRIGGER audit_chain_is_append_only_delete BEFORE DELETE ON audit_chain
         BEGIN SELECT RAISE(ABORT, 'the audit chain cannot be deleted'); END;",
    )
    .unwrap();
}

#[test]
fn an_untouched_anchored_office_passes_the_whole_check() {
    let (_dir, path) = anchored_office();
    let report = office_check(&path);
    assert!(report.intact(), "{report:?}");
    assert_eq!((report.entries, report.records, report.anchors), (6, 1, 1));
}

#[test]
fn every_tampering_of_the_file_is_found() {
    // Each case: what a tamperer does to the file, with the triggers dropped and put
    // back so that the schema looks untouched.
    let mut cases: Vec<(String, String)> = Vec::new();
    for seq in 1..=6 {
        for column in [
            "actor",
            "at",
            "action",
            "record_id",
            "new_value",
            "old_value",
            "field",
        ] {
            cases.push((
                format!("edit {column} of entry {seq}"),
                format!("UPDATE activities SET {column} = coalesce({column}, '') || 'x' WHERE seq = {seq};"),
            ));
        }
        cases.push((
            format!("delete entry {seq} with its hash"),
            format!("DELETE FROM activities WHERE seq = {seq}; DELETE FROM audit_chain WHERE seq = {seq};"),
        ));
    }
    cases.extend(
        [
            ("truncate the last entry", "DELETE FROM activities WHERE seq = 6; DELETE FROM audit_chain WHERE seq = 6;"),
            ("truncate the last three entries", "DELETE FROM activities WHERE seq > 3; DELETE FROM audit_chain WHERE seq > 3;"),
            ("wipe the history", "DELETE FROM activities; DELETE FROM audit_chain;"),
            ("wipe the history and the chain ids", "DELETE FROM activities; DELETE FROM audit_chain; DELETE FROM audit_chains;"),
            ("reorder two entries", "UPDATE activities SET seq = 100 WHERE seq = 2; UPDATE activities SET seq = 2 WHERE seq = 3; UPDATE activities SET seq = 3 WHERE seq = 100;"),
            ("swap two hashes", "UPDATE audit_chain SET seq = 100 WHERE seq = 2; UPDATE audit_chain SET seq = 2 WHERE seq = 3; UPDATE audit_chain SET seq = 3 WHERE seq = 100;"),
            ("edit a record row", "UPDATE costs SET amount_cents = 1;"),
            ("edit a record's title", "UPDATE costs SET description = 'Something else';"),
            ("add a record row", "INSERT INTO costs SELECT '01930000-0000-7000-8000-00000000dead', created_at, updated_at, description, category, paid_date, amount_cents, patent_id, agreement_id FROM costs LIMIT 1;"),
            ("delete a record row", "DELETE FROM costs;"),
            ("edit a row hash", "UPDATE audit_chain SET row_hash = NULL WHERE seq = 3;"),
            ("change the chain id", "UPDATE audit_chain SET chain = 'ffffffffffffffffffffffffffffffff'; UPDATE audit_chains SET chain = 'ffffffffffffffffffffffffffffffff';"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string())),
    );
    let mut missed = Vec::new();
    for (what, sql) in &cases {
        let (_dir, path) = anchored_office();
        tamper_and_restore_triggers(&path, sql);
        if office_check(&path).intact() {
            missed.push(what.clone());
        }
    }
    // Tamperings that also recompute the whole chain with the documented formula: only
    // the anchor outside the file, or the records' seals, still catch them.
    let rechained = [
        ("edit an entry and recompute every hash", "UPDATE activities SET actor = 'mallory' WHERE seq = 3;"),
        ("delete the last entries and recompute", "DELETE FROM activities WHERE seq > 4;"),
        ("wipe the history and recompute", "DELETE FROM activities;"),
        ("forge an entry with a computed chain hash", "INSERT INTO activities (record_kind, record_id, at, actor, action, new_value) SELECT 'cost', id, '2026-03-07T09:30:00.000Z', 'mallory', 'noted', 'forged' FROM costs;"),
    ];
    for (what, sql) in rechained {
        let (_dir, path) = anchored_office();
        tamper_and_restore_triggers(&path, sql);
        rechain(&path);
        if office_check(&path).intact() {
            missed.push(what.to_string());
        }
    }
    // Dropping a trigger and leaving it dropped, or adding one, is found by the schema check.
    for (what, sql) in [
        (
            "drop the history's trigger",
            "DROP TRIGGER activities_are_append_only_delete;",
        ),
        (
            "drop the chain's trigger",
            "DROP TRIGGER audit_chain_is_append_only_update;",
        ),
        (
            "add a trigger",
            "CREATE TRIGGER sneaky AFTER INSERT ON costs BEGIN SELECT 1; END;",
        ),
        ("drop an index", "DROP INDEX audit_chain_by_chain;"),
    ] {
        let (_dir, path) = anchored_office();
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute_batch(sql)
            .unwrap();
        if office_check(&path).intact() {
            missed.push(what.to_string());
        }
    }
    assert!(cases.len() + 8 >= 60, "{} tamperings", cases.len() + 8);
    assert!(missed.is_empty(), "not found: {missed:?}");
}

#[test]
fn a_rewritten_history_is_named_against_the_backup_anchor() {
    let (_dir, path) = anchored_office();
    tamper_and_restore_triggers(&path, "DELETE FROM activities WHERE seq > 4;");
    rechain(&path);
    let report = office_check(&path);
    let all = report.problems().join("\n");
    assert!(all.contains("entries were removed from its end"), "{all}");
}
