//! The `kto` binary run as a user would: key generation, verification of signed
//! monitor submissions, and the database commands' need for `--db`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chrono::{NaiveDate, TimeZone, Utc};
use kto_report::{
    sign_detached, sign_submission, to_canonical_json, write_signed, FigureOut, Institution,
    Period, Submission, Unit, SCHEMA_VERSION,
};

mod common;

use common::{kto, stderr, stdout, PASSPHRASE};

fn keygen(dir: &Path, name: &str, passphrase: &str) -> Output {
    kto()
        .arg("keygen")
        .arg("--out")
        .arg(dir)
        .args(["--name", name])
        .env("KTO_KEY_PASSPHRASE", passphrase)
        .output()
        .unwrap()
}

fn verify(file: &Path, pubkey: &Path) -> Output {
    kto()
        .arg("verify")
        .arg(file)
        .arg("--pubkey")
        .arg(pubkey)
        .output()
        .unwrap()
}

/// Asserts a failed run: exit code 1 and one `kto: ` line on stderr.
fn assert_fails(out: &Output) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "stdout: {}", stdout(out));
    assert!(err.starts_with("kto: "), "{err}");
    err
}

fn figure(code: &str, label: &str, unit: Unit, value: Option<i64>) -> FigureOut {
    FigureOut {
        code: code.to_owned(),
        label: label.to_owned(),
        unit,
        value,
        not_available_reason: None,
        breakdowns: Vec::new(),
    }
}

/// A small monitor submission with a figure that is not available.
fn submission() -> Submission {
    let mut sc = figure(
        "SC",
        "Scouting: bezochte onderzoeksgroepen",
        Unit::Count,
        None,
    );
    sc.not_available_reason = Some("bezoekregistratie pas vanaf 2025".into());
    Submission {
        schema_version: SCHEMA_VERSION,
        definition_version: "kto-nl-2024.1".into(),
        institution: Institution {
            id: "tue".into(),
            name: "Technische Universiteit Eindhoven".into(),
        },
        year: 2024,
        period: Period {
            start: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            end: NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
        },
        figures: vec![
            figure("ID", "Uitvindingsmeldingen", Unit::Count, Some(64)),
            figure(
                "PA-PRIO",
                "Prioriteitsoctrooiaanvragen",
                Unit::Count,
                Some(21),
            ),
            figure(
                "LI",
                "Licentie-inkomsten",
                Unit::EurCents,
                Some(123_456_789),
            ),
            sc,
        ],
        app_version: "0.1.0".into(),
        created_at: Utc.with_ymd_and_hms(2025, 3, 14, 9, 30, 0).unwrap(),
        supersedes: None,
        sync: None,
    }
}

/// A key pair made by `kto keygen` in `dir`, and a submission signed with it
/// through kto-report: (submission path, public key path, key id).
fn signed_submission(dir: &Path) -> (PathBuf, PathBuf, String) {
    let out = keygen(dir, "office", PASSPHRASE);
    assert!(out.status.success(), "{}", stderr(&out));
    let key = kto_report::load_secret_key(&dir.join("office.key"), PASSPHRASE).unwrap();
    let signed = sign_submission(&submission(), &key).unwrap();
    let json = dir.join("monitor-2024.json");
    write_signed(&json, &signed).unwrap();
    (json, dir.join("office.pub"), key.key_id().to_hex())
}

#[test]
fn keygen_with_the_passphrase_from_the_environment_writes_both_key_files_into_a_new_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("keys").join("2024");
    let out = kto()
        .arg("keygen")
        .arg("--out")
        .arg(&dir)
        .env("KTO_KEY_PASSPHRASE", PASSPHRASE)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    let public_path = dir.join("kto-monitor.pub");
    let public = kto_report::load_public_key(&public_path).unwrap();
    let secret = kto_report::load_secret_key(&dir.join("kto-monitor.key"), PASSPHRASE).unwrap();
    assert_eq!(secret.public_key(), public);

    let text = stdout(&out);
    assert!(text.contains(&public_path.display().to_string()), "{text}");
    assert!(
        text.contains(&format!("key id:      {}", public.key_id())),
        "{text}"
    );
    assert!(
        text.contains(&format!("fingerprint: {}", public.fingerprint())),
        "{text}"
    );
}

#[test]
fn keygen_refuses_to_overwrite_an_existing_key_and_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    assert!(keygen(dir.path(), "office", PASSPHRASE).status.success());
    let public = std::fs::read(dir.path().join("office.pub")).unwrap();
    let secret = std::fs::read(dir.path().join("office.key")).unwrap();

    let out = keygen(dir.path(), "office", "another passphrase");
    let err = assert_fails(&out);
    let existing = dir.path().join("office.pub").display().to_string();
    assert!(err.contains(&existing), "{err}");
    assert!(err.contains("already exists"), "{err}");
    assert!(err.contains("--name"), "{err}");
    assert_eq!(
        std::fs::read(dir.path().join("office.pub")).unwrap(),
        public
    );
    assert_eq!(
        std::fs::read(dir.path().join("office.key")).unwrap(),
        secret
    );

    // A lone secret key blocks the name too.
    std::fs::remove_file(dir.path().join("office.pub")).unwrap();
    let err = assert_fails(&keygen(dir.path(), "office", PASSPHRASE));
    assert!(
        err.contains(&dir.path().join("office.key").display().to_string()),
        "{err}"
    );
}

#[test]
fn keygen_refuses_an_empty_passphrase_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("keys");
    let err = assert_fails(&keygen(&dir, "office", ""));
    assert!(err.contains("KTO_KEY_PASSPHRASE is set but empty"), "{err}");
    assert!(!dir.exists(), "the key folder was created");

    // No variable and nothing on standard input.
    let out = kto().arg("keygen").arg("--out").arg(&dir).output().unwrap();
    let err = assert_fails(&out);
    assert!(err.contains("no passphrase"), "{err}");

    // An empty line on standard input.
    let err = assert_fails(&keygen_with_stdin(&dir, "\n"));
    assert!(err.contains("the passphrase is empty"), "{err}");
    assert!(!dir.exists(), "the key folder was created");
}

fn keygen_with_stdin(dir: &Path, input: &str) -> Output {
    let mut child = kto()
        .arg("keygen")
        .arg("--out")
        .arg(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn keygen_reads_the_passphrase_as_one_line_from_a_piped_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = keygen_with_stdin(dir.path(), "piped pass phrase\r\n");
    assert!(out.status.success(), "{}", stderr(&out));
    kto_report::load_secret_key(&dir.path().join("kto-monitor.key"), "piped pass phrase").unwrap();
}

#[test]
fn verify_accepts_a_submission_signed_with_a_kto_key_and_prints_what_was_signed() {
    let dir = tempfile::tempdir().unwrap();
    let (json, public, key_id) = signed_submission(dir.path());
    let out = verify(&json, &public);
    assert!(out.status.success(), "{}", stderr(&out));
    let sha256 = kto_report::sha256_hex(&std::fs::read(&json).unwrap());
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "{text}");
    for part in [
        "institution=tue".to_owned(),
        "year=2024".to_owned(),
        format!("sha256={sha256}"),
        format!("key={key_id}"),
    ] {
        assert!(text.contains(&part), "missing {part}: {text}");
    }
}

#[test]
fn verify_rejects_a_file_with_one_flipped_byte_as_changed_after_signing() {
    let dir = tempfile::tempdir().unwrap();
    let (json, public, _) = signed_submission(dir.path());
    let mut bytes = std::fs::read(&json).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&json, &bytes).unwrap();

    let err = assert_fails(&verify(&json, &public));
    assert!(err.contains("the signature does not match"), "{err}");
    assert!(err.contains("changed after signing"), "{err}");
    assert!(stdout(&verify(&json, &public)).is_empty());
}

#[test]
fn verify_rejects_the_public_key_of_another_office_naming_both_key_ids() {
    let dir = tempfile::tempdir().unwrap();
    let (json, _, key_id) = signed_submission(dir.path());
    assert!(keygen(dir.path(), "other", "another passphrase")
        .status
        .success());
    let other = kto_report::load_public_key(&dir.path().join("other.pub")).unwrap();

    let err = assert_fails(&verify(&json, &dir.path().join("other.pub")));
    assert!(err.contains("the signature was made with key"), "{err}");
    assert!(err.contains(&key_id), "{err}");
    assert!(err.contains(&other.key_id().to_hex()), "{err}");
}

#[test]
fn verify_without_the_signature_file_names_the_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let (json, public, _) = signed_submission(dir.path());
    let sig = dir.path().join("monitor-2024.json.minisig");
    std::fs::remove_file(&sig).unwrap();

    let err = assert_fails(&verify(&json, &public));
    assert!(err.contains(&sig.display().to_string()), "{err}");
    assert!(err.contains("is missing"), "{err}");
    assert!(err.contains("--sig"), "{err}");
}

#[test]
fn verify_reads_a_signature_kept_elsewhere_when_given_with_sig() {
    let dir = tempfile::tempdir().unwrap();
    let (json, public, _) = signed_submission(dir.path());
    let moved = dir.path().join("signature.txt");
    std::fs::rename(dir.path().join("monitor-2024.json.minisig"), &moved).unwrap();
    let out = kto()
        .arg("verify")
        .arg(&json)
        .arg("--pubkey")
        .arg(&public)
        .arg("--sig")
        .arg(&moved)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn verify_reports_a_malformed_public_key() {
    let dir = tempfile::tempdir().unwrap();
    let (json, public, _) = signed_submission(dir.path());
    std::fs::write(&public, "untrusted comment: not a key\nhello\n").unwrap();
    let err = assert_fails(&verify(&json, &public));
    assert!(err.contains("could not read the public key"), "{err}");
}

#[test]
fn verify_reports_a_missing_public_key_file_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let (json, _, _) = signed_submission(dir.path());
    let missing = dir.path().join("nowhere.pub");
    let err = assert_fails(&verify(&json, &missing));
    assert!(err.contains("could not read the public key file"), "{err}");
    assert!(err.contains(&missing.display().to_string()), "{err}");
}

#[test]
fn verify_rejects_a_signature_whose_comment_names_another_year() {
    let dir = tempfile::tempdir().unwrap();
    let (json, public, _) = signed_submission(dir.path());
    let key = kto_report::load_secret_key(&dir.path().join("office.key"), PASSPHRASE).unwrap();
    let bytes = to_canonical_json(&submission()).unwrap();
    let comment = format!(
        "kto-monitor institution=tue year=2023 sha256={}",
        kto_report::sha256_hex(&bytes)
    );
    let sig = sign_detached(&bytes, &comment, &key).unwrap();
    std::fs::write(dir.path().join("monitor-2024.json.minisig"), sig).unwrap();

    let err = assert_fails(&verify(&json, &public));
    assert!(
        err.contains("trusted comment says year `2023`, but the file has `2024`"),
        "{err}"
    );
}

#[test]
fn the_minisign_tool_accepts_a_file_signed_with_a_kto_generated_key() {
    assert!(
        Command::new("minisign").arg("-v").output().is_ok(),
        "`minisign` is not on PATH; install it (make deps, or apt-get install minisign)"
    );
    let dir = tempfile::tempdir().unwrap();
    let (json, public, _) = signed_submission(dir.path());
    let out = Command::new("minisign")
        .arg("-Vm")
        .arg(&json)
        .arg("-p")
        .arg(&public)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "minisign -V: {}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("Trusted comment: kto-monitor institution=tue year=2024"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn list_disclosures_without_a_database_fails_naming_db() {
    let err = assert_fails(&kto().args(["list", "disclosures"]).output().unwrap());
    assert!(err.contains("--db"), "{err}");
    assert!(err.contains("no database given"), "{err}");
}

#[test]
fn the_database_commands_still_work_with_db() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite3");
    let run = |args: &[&str]| {
        let out = kto().arg("--db").arg(&db).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stdout(&out)
    };
    assert!(run(&["demo", "--people", "8", "--disclosures", "5"]).contains("5 disclosures"));
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&run(&["list", "disclosures", "--json"])).unwrap();
    assert_eq!(rows.len(), 5);
    assert!(run(&["check"]).starts_with("ok: "));
}
