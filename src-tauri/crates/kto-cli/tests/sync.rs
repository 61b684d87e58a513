//! `kto sync` end to end on the binary: a laptop joins an office from the shared folder,
//! takes a large change from another laptop, and a sync killed while applying leaves the
//! office as before or as after, never between.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{kto, ok};

/// `kto --db DB ARGS… [FOLDER]`, which must succeed; its standard output.
fn kto_ok(db: &Path, args: &[&str], folder: Option<&Path>) -> String {
    let mut cmd = kto();
    cmd.arg("--db").arg(db).args(args);
    if let Some(f) = folder {
        cmd.arg(f);
    }
    ok(cmd.output().unwrap())
}

/// A shared folder, Ana's office with a snapshot in it, and Bram joined from it.
fn office(tmp: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let shared = tmp.join("shared");
    std::fs::create_dir(&shared).unwrap();
    let (ana, bram) = (tmp.join("ana.sqlite3"), tmp.join("bram.sqlite3"));
    kto_ok(&ana, &["sync", "--snapshot", "--folder"], Some(&shared));
    let joined = kto_ok(
        &bram,
        &["sync", "join", "--name", "Bram", "--folder"],
        Some(&shared),
    );
    assert!(joined.contains("joined the office"), "{joined}");
    (shared, ana, bram)
}

fn fingerprint(db: &Path) -> String {
    let out = kto_ok(db, &["sync", "status"], None);
    out.lines()
        .find_map(|l| l.strip_prefix("fingerprint: "))
        .expect("status prints the fingerprint")
        .to_string()
}

#[test]
fn a_sync_killed_while_applying_leaves_the_office_as_before_or_after() {
    let tmp = tempfile::tempdir().unwrap();
    let (shared, ana, bram) = office(tmp.path());
    let before = fingerprint(&bram);
    assert_eq!(before, fingerprint(&ana));

    // Ana loads a whole office in one change: one large file.
    kto_ok(&ana, &["demo", "--records", "3000"], None);
    kto_ok(&ana, &["sync", "--folder"], Some(&shared));
    let after = fingerprint(&ana);
    assert_ne!(before, after);

    for (i, wait_ms) in [5u64, 40, 120, 300, 700].into_iter().enumerate() {
        let copy = tmp.path().join(format!("bram-{i}.sqlite3"));
        std::fs::copy(&bram, &copy).unwrap();
        let mut child = kto()
            .arg("--db")
            .arg(&copy)
            .args(["sync", "--folder"])
            .arg(&shared)
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(wait_ms));
        child.kill().ok(); // SIGKILL on Unix
        child.wait().unwrap();
        let now = fingerprint(&copy);
        assert!(
            now == before || now == after,
            "killed after {wait_ms} ms: the office is between"
        );
        kto_ok(&copy, &["sync", "--folder"], Some(&shared));
        assert_eq!(fingerprint(&copy), after, "the next sync completes it");
        kto_ok(&copy, &["audit", "verify"], None);
    }
}

#[test]
fn a_refused_file_makes_kto_sync_fail_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (shared, ana, bram) = office(tmp.path());
    kto_ok(&ana, &["demo"], None);
    kto_ok(&ana, &["sync", "--folder"], Some(&shared));
    // Ana's change 1 put where her change 2 belongs.
    let dir = std::fs::read_dir(shared.join("kto-sync/changes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| std::fs::read_dir(p).unwrap().count() > 0)
        .unwrap();
    let first = std::fs::read_dir(&dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    kto_ok(&bram, &["sync", "--folder"], Some(&shared));
    std::fs::copy(&first, dir.join("0000000002.ktochange")).unwrap();
    let out = kto()
        .arg("--db")
        .arg(&bram)
        .args(["sync", "--folder"])
        .arg(&shared)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let text = common::stdout(&out);
    assert!(
        text.contains("refused: changes/") && text.contains("lies where change 2"),
        "{text}"
    );
}
