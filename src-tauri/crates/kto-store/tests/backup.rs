//! Backups: made whole or not at all, checked, listed, rotated, restored over the live
//! file without leaving half a file or a stale write-ahead log; damaged files moved aside.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use chrono::{DateTime, Duration, TimeZone, Utc};
use kto_core::activity::{Change, RecordKind as K};
use kto_core::backup::BackupKind;
use kto_core::record::{RecordQuery, Value, Values};
use kto_store::{Error, Store};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 7, 9, 30, 0).unwrap()
}

fn change() -> Change {
    Change {
        actor: "Test User".into(),
        at: now(),
    }
}

fn add_cost(store: &mut Store, description: &str) {
    let values: Values = [
        ("description", Value::Text(description.into())),
        ("category", Value::Text("legal".into())),
        ("paidDate", Value::Text("2026-01-15".into())),
        ("amount", Value::Int(123_456)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    store.create_record(&change(), K::Cost, &values).unwrap();
}

fn costs(store: &Store) -> Vec<String> {
    let q = RecordQuery {
        limit: 500,
        ..Default::default()
    };
    let mut out: Vec<String> = store
        .list_records(K::Cost, &q)
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.title)
        .collect();
    out.sort();
    out
}

fn office(dir: &Path) -> (Store, std::path::PathBuf) {
    let path = dir.join(kto_store::DB_FILE_NAME);
    let mut store = Store::open(&path).unwrap();
    add_cost(&mut store, "Patent attorney");
    add_cost(&mut store, "Licence review");
    (store, path)
}

fn garble(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let mid = bytes.len() / 2;
    let end = (mid + 8192).min(bytes.len());
    for b in &mut bytes[mid..end] {
        *b = 0x5A;
    }
    std::fs::write(path, &bytes).unwrap();
}

#[test]
fn a_backup_is_a_checked_copy_listed_with_size_and_date() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = office(dir.path());
    let backups = dir.path().join(kto_store::BACKUP_DIR_NAME);
    let made = store
        .backup_into(&backups, BackupKind::Manual, now())
        .unwrap();
    assert_eq!(made.kind, BackupKind::Manual);
    assert_eq!(made.created_at, now());
    assert!(made.size_bytes > 0);
    kto_store::check_backup(&backups.join(&made.name)).unwrap();
    assert_eq!(
        kto_store::list_backups(&backups).unwrap(),
        vec![made.clone()]
    );
    // No temporary file is left behind: the backup and its check file.
    let mut files: Vec<String> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        vec![made.name.clone(), format!("{}.check.json", made.name)]
    );
    // The copy opens as an office with the same records.
    let copy = Store::open(&backups.join(&made.name)).unwrap();
    assert_eq!(costs(&copy), costs(&store));
}

#[test]
fn a_backup_never_overwrites_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = office(dir.path());
    let dest = dir.path().join("mine.sqlite3");
    std::fs::write(&dest, b"precious").unwrap();
    assert!(matches!(store.backup_to(&dest), Err(Error::Conflict(_))));
    assert_eq!(std::fs::read(&dest).unwrap(), b"precious");
}

#[test]
fn an_in_memory_office_can_be_backed_up_too() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_memory().unwrap();
    add_cost(&mut store, "Translation");
    let dest = dir.path().join("copy.sqlite3");
    store.backup_to(&dest).unwrap();
    assert_eq!(costs(&Store::open(&dest).unwrap()), vec!["Translation"]);
}

#[test]
fn the_automatic_backup_runs_once_a_day_and_rotates() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = office(dir.path());
    let backups = dir.path().join("backups");
    assert!(kto_store::auto_backup(&store, &backups, now())
        .unwrap()
        .is_some());
    assert!(
        kto_store::auto_backup(&store, &backups, now() + Duration::hours(2))
            .unwrap()
            .is_none()
    );
    for day in 1..40 {
        kto_store::auto_backup(&store, &backups, now() + Duration::days(day)).unwrap();
    }
    let list = kto_store::list_backups(&backups).unwrap();
    assert!(list.len() >= kto_store::KEEP_DAILY);
    assert!(list.len() <= kto_store::KEEP_DAILY + kto_store::KEEP_WEEKLY);
    assert_eq!(list[0].created_at, now() + Duration::days(39));
}

#[test]
fn a_restore_brings_back_the_backup_and_drops_the_stale_log() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, live) = office(dir.path());
    let backups = dir.path().join("backups");
    let made = store
        .backup_into(&backups, BackupKind::Manual, now())
        .unwrap();
    add_cost(&mut store, "Made after the backup");
    store.close().unwrap();
    // A stale write-ahead log of the old file must not be replayed onto the restored one.
    std::fs::write(dir.path().join("kto-desk.sqlite3-wal"), b"stale").unwrap();
    kto_store::restore(&backups.join(&made.name), &live).unwrap();
    assert!(!dir.path().join("kto-desk.sqlite3-wal").exists());
    let store = Store::open(&live).unwrap();
    assert_eq!(costs(&store), vec!["Licence review", "Patent attorney"]);
    store.integrity_check().unwrap();
    // Only the database and the backup folder remain: no temporary files.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with("-wal") && !n.ends_with("-shm"))
        .collect();
    names.sort();
    assert_eq!(names, vec!["backups", "kto-desk.sqlite3"]);
}

#[test]
fn a_damaged_backup_is_refused_and_the_live_file_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, live) = office(dir.path());
    for i in 0..300 {
        add_cost(
            &mut store,
            &format!("Cost number {i} with a description long enough"),
        );
    }
    let backups = dir.path().join("backups");
    let made = store
        .backup_into(&backups, BackupKind::Manual, now())
        .unwrap();
    store.close().unwrap();
    let bad = backups.join(&made.name);
    garble(&bad);
    let before = std::fs::read(&live).unwrap();
    let err = kto_store::restore(&bad, &live).unwrap_err();
    assert!(matches!(err, Error::BadBackup { .. }), "{err}");
    assert!(err.to_string().contains("choose another backup"), "{err}");
    assert_eq!(std::fs::read(&live).unwrap(), before);
    assert_eq!(kto_store::newest_good_backup(&backups).unwrap(), None);
    // Neither a foreign file nor a missing one is accepted.
    let foreign = dir.path().join("other.sqlite3");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    assert!(matches!(
        kto_store::check_backup(&foreign),
        Err(Error::BadBackup { .. })
    ));
    assert!(matches!(
        kto_store::check_backup(&dir.path().join("nothing.sqlite3")),
        Err(Error::BadBackup { .. })
    ));
}

#[test]
fn a_damaged_database_is_moved_aside_then_the_newest_good_backup_restored() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, live) = office(dir.path());
    for i in 0..300 {
        add_cost(
            &mut store,
            &format!("Cost number {i} with a description long enough"),
        );
    }
    let backups = dir.path().join("backups");
    let older = store
        .backup_into(&backups, BackupKind::Auto, now())
        .unwrap();
    let newer = store
        .backup_into(&backups, BackupKind::Auto, now() + Duration::days(1))
        .unwrap();
    store.close().unwrap();
    garble(&backups.join(&newer.name));
    garble(&live);
    let damaged = std::fs::read(&live).unwrap();
    assert!(Store::open(&live).is_err());

    let good = kto_store::newest_good_backup(&backups).unwrap().unwrap();
    assert_eq!(good.name, older.name);
    let aside = kto_store::move_aside(&live, now()).unwrap();
    assert_eq!(
        aside.file_name().unwrap().to_string_lossy(),
        "kto-desk.damaged-20260307-093000.sqlite3"
    );
    assert_eq!(std::fs::read(&aside).unwrap(), damaged, "kept as it was");
    kto_store::restore(&backups.join(&good.name), &live).unwrap();
    let store = Store::open(&live).unwrap();
    assert_eq!(costs(&store).len(), 302);
}

/// The bytes of the live database and its companions, to show a refused restore left
/// them untouched.
fn live_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Edits the backup file the way a tamperer would, then writes a matching check file so
/// that only the audit check can tell.
fn tamper_backup(path: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(sql).unwrap();
    conn.execute_batch("PRAGMA journal_mode = DELETE;").unwrap();
    drop(conn);
    let side_path = kto_store::sidecar_path(path);
    let mut side: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&side_path).unwrap()).unwrap();
    let bytes = std::fs::read(path).unwrap();
    use sha2::Digest;
    side["sha256"] = format!("{:x}", sha2::Sha256::digest(&bytes)).into();
    side["sizeBytes"] = bytes.len().into();
    std::fs::write(&side_path, side.to_string()).unwrap();
}

#[test]
fn each_bad_backup_is_refused_and_the_office_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let (store, live) = office(dir.path());
    let backups = dir.path().join("backups");
    let cases: [(&str, &str); 4] = [
        (
            "a broken audit chain",
            "DROP TRIGGER activities_are_append_only_update;
             UPDATE activities SET actor = 'mallory' WHERE seq = 1;
             CREATE TRIGGER activities_are_append_only_update BEFORE UPDATE ON activities
             BEGIN SELECT RAISE(ABORT, 'the activity history cannot be changed'); END;",
        ),
        (
            "a history cut short",
            "DROP TRIGGER activities_are_append_only_delete;
             DROP TRIGGER audit_chain_is_append_only_delete;
             DELETE FROM activities WHERE seq = 2; DELETE FROM audit_chain WHERE seq = 2;",
        ),
        ("a record changed", "UPDATE costs SET amount_cents = 1;"),
        (
            "a dropped trigger",
            "DROP TRIGGER activities_are_append_only_delete;",
        ),
    ];
    for (i, (what, sql)) in cases.iter().enumerate() {
        let made = store
            .backup_into(
                &backups,
                BackupKind::Manual,
                now() + Duration::minutes(i as i64),
            )
            .unwrap();
        let path = backups.join(&made.name);
        tamper_backup(&path, sql);
        let before = live_files(dir.path());
        let err = kto_store::restore(&path, &live).unwrap_err();
        assert!(matches!(err, Error::BadBackup { .. }), "{what}: {err}");
        assert!(
            err.to_string().contains("audit check failed"),
            "{what}: {err}"
        );
        assert_eq!(
            live_files(dir.path()),
            before,
            "{what}: the office is untouched"
        );
    }
}

#[test]
fn a_changed_byte_in_a_backup_fails_its_checksum() {
    let dir = tempfile::tempdir().unwrap();
    let (store, live) = office(dir.path());
    let backups = dir.path().join("backups");
    let made = store
        .backup_into(&backups, BackupKind::Manual, now())
        .unwrap();
    let path = backups.join(&made.name);
    // Bit rot: one letter of a record's text, which SQLite's integrity check cannot see.
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes
        .windows(7)
        .position(|w| w == b"Licence")
        .expect("the text is in the file");
    bytes[at] = b'M';
    std::fs::write(&path, &bytes).unwrap();
    kto_store::check_backup(&path).unwrap();
    let before = live_files(dir.path());
    let err = kto_store::restore(&path, &live).unwrap_err();
    assert!(err.to_string().contains("SHA-256"), "{err}");
    assert_eq!(live_files(dir.path()), before);
}

#[test]
fn a_backup_without_its_check_file_is_refused_unless_accepted_unverified() {
    let dir = tempfile::tempdir().unwrap();
    let (store, live) = office(dir.path());
    let backups = dir.path().join("backups");
    let made = store
        .backup_into(&backups, BackupKind::Manual, now())
        .unwrap();
    drop(store);
    let path = backups.join(&made.name);
    std::fs::remove_file(kto_store::sidecar_path(&path)).unwrap();
    let err = kto_store::restore(&path, &live).unwrap_err();
    assert!(err.to_string().contains("--unverified"), "{err}");
    kto_store::prepare_restore(&path, &live, kto_store::Checksum::IfPresent)
        .unwrap()
        .commit()
        .unwrap();
    assert_eq!(costs(&Store::open(&live).unwrap()).len(), 2);
}

#[test]
fn a_source_with_committed_rows_in_its_wal_is_restored_with_them() {
    let dir = tempfile::tempdir().unwrap();
    let other = tempfile::tempdir().unwrap();
    let (store, live) = office(dir.path());
    drop(store);
    // Another office whose newest rows are still in its write-ahead log.
    let source = other.path().join("other.sqlite3");
    let mut writer = Store::open(&source).unwrap();
    add_cost(&mut writer, "Only in the log");
    let conn = rusqlite::Connection::open(&source).unwrap();
    conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    drop(conn);
    let copy = other.path().join("copy.sqlite3");
    // Copy the file and its log while the writer keeps it open (no checkpoint on close).
    add_cost(&mut writer, "Also only in the log");
    std::fs::copy(&source, &copy).unwrap();
    let wal = other.path().join("other.sqlite3-wal");
    assert!(
        std::fs::metadata(&wal).unwrap().len() > 0,
        "rows are in the log"
    );
    std::fs::copy(&wal, other.path().join("copy.sqlite3-wal")).unwrap();
    drop(writer);
    kto_store::prepare_restore(&copy, &live, kto_store::Checksum::IfPresent)
        .unwrap()
        .commit()
        .unwrap();
    let restored = Store::open(&live).unwrap();
    assert_eq!(
        costs(&restored),
        vec!["Also only in the log", "Only in the log"]
    );
    assert!(restored.verify_audit().unwrap().intact());
}

#[test]
fn temporary_files_of_killed_backups_and_restores_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let left = [
        ".kto-desk-auto-20260307-093000000.sqlite3.backup.tmp",
        ".kto-desk-auto-20260307-093000000.sqlite3.backup.tmp-journal",
        ".kto-desk.sqlite3.restore.tmp",
        ".kto-desk.sqlite3.restore.tmp-wal",
    ];
    for name in &left[..2] {
        std::fs::write(backups.join(name), vec![0u8; 4096]).unwrap();
    }
    for name in &left[2..] {
        std::fs::write(dir.path().join(name), vec![0u8; 4096]).unwrap();
    }
    std::fs::write(backups.join("notes.txt"), b"mine").unwrap();
    assert_eq!(kto_store::remove_stale_temps(dir.path()).unwrap(), 2);
    // Rotation cleans its folder too.
    kto_store::rotate_backups(&backups).unwrap();
    let names: Vec<String> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["notes.txt"]);
    assert!(!dir.path().join(left[2]).exists());
}
