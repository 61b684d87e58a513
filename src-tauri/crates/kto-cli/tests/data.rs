//! `kto audit verify`, `backup`, `restore` and `export` run as a user would.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn kto(db: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kto"));
    cmd.env_remove("KTO_DESK_DB")
        .arg("--db")
        .arg(db)
        .stdin(Stdio::null());
    cmd
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    text(&out.stdout)
}

fn fails(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(1), "stdout: {}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(err.starts_with("kto: "), "{err}");
    err
}

/// A demo office in a fresh folder.
fn office() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kto-desk.sqlite3");
    ok(&kto(&db)
        .args(["demo", "--people", "12", "--disclosures", "6"])
        .output()
        .unwrap());
    (dir, db)
}

#[test]
fn audit_verify_passes_on_an_untouched_office_and_names_the_first_edited_entry() {
    let (_dir, db) = office();
    let out = ok(&kto(&db).args(["audit", "verify"]).output().unwrap());
    assert!(out.contains("intact"), "{out}");

    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER activities_are_append_only_update;
         UPDATE activities SET actor = 'someone else' WHERE seq = 5;",
    )
    .unwrap();
    drop(conn);
    let err = fails(&kto(&db).args(["audit", "verify"]).output().unwrap());
    assert!(err.contains("broken at history entry 5"), "{err}");
}

#[test]
fn backup_writes_a_checked_copy_and_never_overwrites() {
    let (dir, db) = office();
    let file = dir.path().join("copy.sqlite3");
    let out = ok(&kto(&db)
        .arg("backup")
        .arg("--out")
        .arg(&file)
        .output()
        .unwrap());
    assert!(out.contains("checked"), "{out}");
    ok(&kto(&file).arg("check").output().unwrap());
    let err = fails(
        &kto(&db)
            .arg("backup")
            .arg("--out")
            .arg(&file)
            .output()
            .unwrap(),
    );
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn restore_asks_first_and_keeps_the_replaced_database() {
    let (dir, db) = office();
    let file = dir.path().join("copy.sqlite3");
    ok(&kto(&db)
        .arg("backup")
        .arg("--out")
        .arg(&file)
        .output()
        .unwrap());
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("DELETE FROM disclosure_inventors", [])
        .unwrap();
    drop(conn);

    // Answering no changes nothing.
    let mut child = kto(&db)
        .arg("restore")
        .arg(&file)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"no\n").unwrap();
    let err = fails(&child.wait_with_output().unwrap());
    assert!(err.contains("nothing was changed"), "{err}");
    let count = |db: &Path| -> i64 {
        rusqlite::Connection::open(db)
            .unwrap()
            .query_row("SELECT count(*) FROM disclosure_inventors", [], |r| {
                r.get(0)
            })
            .unwrap()
    };
    assert_eq!(count(&db), 0);

    let out = ok(&kto(&db)
        .arg("restore")
        .arg(&file)
        .arg("--yes")
        .output()
        .unwrap());
    assert!(out.contains("kept as"), "{out}");
    assert!(count(&db) > 0);
    assert_eq!(
        std::fs::read_dir(dir.path().join("backups"))
            .unwrap()
            .filter(|e| e
                .as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "sqlite3"))
            .count(),
        1
    );
    ok(&kto(&db).arg("check").output().unwrap());
}

#[test]
fn a_history_cut_short_after_a_backup_fails_audit_verify_and_check() {
    let (dir, db) = office();
    std::fs::create_dir_all(dir.path().join("backups")).unwrap();
    ok(&kto(&db)
        .arg("backup")
        .arg("--out")
        .arg(
            dir.path()
                .join("backups")
                .join("kto-desk-manual-20260307-093000000.sqlite3"),
        )
        .output()
        .unwrap());
    // The tamperer removes the newest entries and puts the triggers back.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER activities_are_append_only_delete;
         DROP TRIGGER audit_chain_is_append_only_delete;
         DELETE FROM activities WHERE seq > (SELECT max(seq) - 3 FROM activities);
         DELETE FROM audit_chain WHERE seq NOT IN (SELECT seq FROM activities);
         CREATE TRIGGER activities_are_append_only_delete BEFORE DELETE ON activities
         BEGIN SELECT RAISE(ABORT, 'the activity history cannot be deleted'); END;
         CREATE TRIGGER audit_chain_is_append_only_delete BEFORE DELETE ON audit_chain
         BEGIN SELECT RAISE(ABORT, 'the audit chain cannot be deleted'); END;",
    )
    .unwrap();
    drop(conn);
    for args in [&["audit", "verify"][..], &["check"][..]] {
        let err = fails(&kto(&db).args(args).output().unwrap());
        assert!(
            err.contains("entries were removed from its end"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_direct_edit_of_a_record_fails_audit_verify() {
    let (_dir, db) = office();
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("UPDATE disclosures SET title = 'Rewritten' WHERE rowid = 1;")
        .unwrap();
    let err = fails(&kto(&db).args(["audit", "verify"]).output().unwrap());
    assert!(err.contains("changed outside KTO Desk"), "{err}");
}

#[test]
fn a_damaged_backup_is_not_restored() {
    let (dir, db) = office();
    let file = dir.path().join("garbage.sqlite3");
    std::fs::write(&file, b"not a database at all").unwrap();
    let before = std::fs::read(&db).unwrap();
    let err = fails(
        &kto(&db)
            .arg("restore")
            .arg(&file)
            .arg("--yes")
            .output()
            .unwrap(),
    );
    assert!(err.contains("cannot be used"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn export_writes_a_csv_per_kind_and_one_json_file() {
    let (dir, db) = office();
    let out_dir = dir.path().join("export");
    let out = ok(&kto(&db)
        .arg("export")
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap());
    assert!(out.contains("exported"), "{out}");
    for name in [
        "disclosures.csv",
        "people.csv",
        "organisations.csv",
        "deals.csv",
        "costs.csv",
        "income.csv",
        "kto-desk-export.json",
    ] {
        assert!(out_dir.join(name).is_file(), "{name} missing");
    }
    let income = std::fs::read_to_string(out_dir.join("income.csv")).unwrap();
    // UTF-8 with a byte-order mark, so that Excel reads the text as UTF-8.
    assert!(income.starts_with(
        "\u{feff}id,createdAt,updatedAt,description,kind,receivedDate,amount,agreementId"
    ));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("kto-desk-export.json")).unwrap())
            .unwrap();
    assert_eq!(json["format"], "kto-desk-export");
    assert!(json["tables"]["disclosures"].as_array().unwrap().len() == 6);
    assert!(json["tables"]["audit_chain"].as_array().is_some());
    // A second export into the same folder changes nothing.
    let err = fails(
        &kto(&db)
            .arg("export")
            .arg("--out")
            .arg(&out_dir)
            .output()
            .unwrap(),
    );
    assert!(err.contains("never overwrites"), "{err}");
}

/// Every file under `dir` by its path inside it.
fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

#[test]
fn a_whole_export_imports_into_a_new_office_that_exports_the_same_files() {
    let (dir, db) = office();
    let first = dir.path().join("first");
    ok(&kto(&db)
        .arg("export")
        .arg("--out")
        .arg(&first)
        .output()
        .unwrap());
    let new_db = dir.path().join("new").join("kto-desk.sqlite3");
    std::fs::create_dir_all(new_db.parent().unwrap()).unwrap();
    let out = ok(&kto(&new_db).arg("import").arg(&first).output().unwrap());
    assert!(
        out.contains("imported the export") && out.contains("records"),
        "{out}"
    );
    let second = dir.path().join("second");
    ok(&kto(&new_db)
        .arg("export")
        .arg("--out")
        .arg(&second)
        .output()
        .unwrap());
    let (a, b) = (tree(&first), tree(&second));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(
            bytes == &b[name],
            "{name} differs after export, import, export"
        );
    }
    for kind in ["disclosures", "deals", "patents", "income"] {
        let list = |db: &Path| ok(&kto(db).args(["list", kind, "--json"]).output().unwrap());
        assert_eq!(list(&db), list(&new_db), "{kind}");
    }
    ok(&kto(&new_db).arg("check").output().unwrap());
    // Not a second time, and a file needs its kind.
    let err = fails(&kto(&new_db).arg("import").arg(&first).output().unwrap());
    assert!(err.contains("already holds records"), "{err}");
    let err = fails(
        &kto(&new_db)
            .arg("import")
            .arg(first.join("patents.csv"))
            .output()
            .unwrap(),
    );
    assert!(err.contains("--kind"), "{err}");
}

#[test]
fn export_to_excel_writes_one_workbook_that_imports_back() {
    let (dir, db) = office();
    let book = dir.path().join("office.xlsx");
    let out = ok(&kto(&db)
        .arg("export")
        .arg("--xlsx")
        .arg(&book)
        .output()
        .unwrap());
    assert!(out.contains("records to"), "{out}");
    assert!(std::fs::read(&book).unwrap().starts_with(b"PK"));
    // Never over an existing file.
    let err = fails(
        &kto(&db)
            .arg("export")
            .arg("--xlsx")
            .arg(&book)
            .output()
            .unwrap(),
    );
    assert!(err.contains("never overwrites"), "{err}");
    // A sheet imports back as its kind: the same records, matched by id.
    let out = ok(&kto(&db)
        .args(["import", "--kind", "patents"])
        .arg(&book)
        .output()
        .unwrap());
    assert!(out.contains("0 created"), "{out}");
}
