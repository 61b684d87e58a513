//! `kto monitor` run as an office head would: figures as JSON with drill-down, office
//! inputs, and a signed export that `kto verify` and Debian's `minisign` accept and that
//! fails once a byte changes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{NaiveDate, TimeZone, Utc};
use kto_core::activity::{Change, RecordKind};
use kto_core::disclosure::{validate, DisclosureInput, DisclosureStage, InventorInput};
use kto_core::record::{Value, Values};
use kto_store::Store;

mod common;

use common::{kto, ok, stderr, stdout, PASSPHRASE};

fn fails(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(1), "stdout: {}", stdout(out));
    let err = stderr(out);
    assert!(err.starts_with("kto: "), "{err}");
    err
}

fn monitor(db: &Path, args: &[&str]) -> Command {
    let mut cmd = kto();
    cmd.arg("--db").arg(db).arg("monitor").args(args);
    cmd
}

fn change() -> Change {
    Change {
        actor: "Office Head".into(),
        at: Utc.with_ymd_and_hms(2026, 2, 1, 9, 0, 0).unwrap(),
    }
}

/// An office with two disclosures and a licence in 2025, and its monitor settings.
fn office(dir: &Path) -> (PathBuf, Vec<String>) {
    let db = dir.join("office.sqlite3");
    let mut store = Store::open(&db).unwrap();
    let mut ids = Vec::new();
    for (title, day) in [("Photonic chip", 3), ("Enzyme for biofuel", 17)] {
        let input = DisclosureInput {
            reference: String::new(),
            title: title.into(),
            received_on: Some(NaiveDate::from_ymd_opt(2025, 3, day).unwrap()),
            faculty: "Science".into(),
            trl: None,
            stage: DisclosureStage::Received,
            decision: None,
            decided_on: None,
            summary: String::new(),
            inventors: vec![InventorInput {
                person_id: None,
                name: format!("Inventor of {title}"),
                organisation_id: None,
                share_bp: 10_000,
            }],
        };
        let valid = validate(&input, NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()).unwrap();
        ids.push(
            store
                .create_disclosure(&change(), &valid)
                .unwrap()
                .id
                .to_string(),
        );
    }
    let values: Values = [
        ("title", Value::Text("Chip licence".into())),
        ("kind", Value::Text("licence".into())),
        ("signedDate", Value::Text("2025-06-30".into())),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    store
        .create_record(&change(), RecordKind::Agreement, &values)
        .unwrap();
    drop(store);
    ok(monitor(
        &db,
        &[
            "settings",
            "--institution-id",
            "uvh",
            "--institution-name",
            "Universiteit van Hollandia – Kennisoverdracht",
        ],
    )
    .output()
    .unwrap());
    (db, ids)
}

fn keygen(dir: &Path) -> (PathBuf, PathBuf) {
    ok(kto()
        .arg("keygen")
        .arg("--out")
        .arg(dir)
        .env("KTO_KEY_PASSPHRASE", PASSPHRASE)
        .output()
        .unwrap());
    (dir.join("kto-monitor.key"), dir.join("kto-monitor.pub"))
}

fn export(db: &Path, key: &Path, out: &Path, passphrase: &str) -> Output {
    let mut cmd = monitor(db, &["export", "--year", "2025", "--key"]);
    cmd.arg(key)
        .arg("--out")
        .arg(out)
        .env("KTO_KEY_PASSPHRASE", passphrase)
        .output()
        .unwrap()
}

#[test]
fn figures_as_json_keep_not_available_apart_from_zero_and_list_the_record_ids() {
    let dir = tempfile::tempdir().unwrap();
    let (db, ids) = office(dir.path());
    ok(monitor(
        &db,
        &[
            "inputs",
            "--year",
            "2025",
            "--research-expenditure",
            "125000000.50",
        ],
    )
    .output()
    .unwrap());
    let out = ok(monitor(&db, &["figures", "--year", "2025", "--json"])
        .output()
        .unwrap());
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let figure = |code: &str| {
        json["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == code)
            .unwrap()
            .clone()
    };
    assert_eq!(json["period"]["start"], "2025-01-01");
    assert_eq!(json["definitionVersion"], "2026.1");
    let id = figure("ID");
    assert_eq!(id["value"], 2);
    assert_eq!(id["unit"], "count");
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(id["recordIds"], serde_json::json!(expected));
    let exp = figure("IN-RES-EXP");
    assert_eq!(exp["value"], 12_500_000_050_i64);
    assert_eq!(exp["unit"], "eur_cents");
    let kto_fte = figure("IN-KTO-FTE");
    assert!(kto_fte["value"].is_null());
    assert_eq!(kto_fte["notAvailableReason"], "inputNotRecorded");
    // A year without patents has zero applications: a value, not "not available".
    assert_eq!(figure("PA-PRIO")["value"], 0);
    let loa = figure("LOA");
    assert_eq!(loa["value"], 1);
    let unknown = loa["breakdowns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["key"] == "licenseeKind:unknown")
        .unwrap();
    assert_eq!(unknown["value"], 1);
    // The licence without a counterparty is a data-quality warning.
    assert!(json["quality"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["problem"]["field"] == "partnerKind"));
}

#[test]
fn figure_drill_down_lists_kind_id_and_title_of_each_counted_record() {
    let dir = tempfile::tempdir().unwrap();
    let (db, ids) = office(dir.path());
    let out = ok(
        monitor(&db, &["figures", "--year", "2025", "--figure", "ID"])
            .output()
            .unwrap(),
    );
    assert!(out.starts_with("ID = 2: 2 records"), "{out}");
    for id in &ids {
        assert!(out.contains(&format!("disclosure\t{id}\tD-2025-")), "{out}");
    }
    assert!(out.contains("Photonic chip") && out.contains("Enzyme for biofuel"));

    let err = fails(
        &monitor(&db, &["figures", "--year", "2025", "--figure", "NOPE"])
            .output()
            .unwrap(),
    );
    assert!(
        err.contains("no figure `NOPE`") && err.contains("PA-PRIO"),
        "{err}"
    );
}

#[test]
fn the_office_key_beside_the_database_is_replaced_retired_and_signs_without_naming_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = office(dir.path());
    let err = fails(&monitor(&db, &["key", "show"]).output().unwrap());
    assert!(err.contains("no signing key yet"), "{err}");

    let replace = || {
        ok(monitor(&db, &["key", "replace"])
            .env("KTO_KEY_PASSPHRASE", PASSPHRASE)
            .output()
            .unwrap())
    };
    let first = replace();
    let second = replace();
    let key_id = |out: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix("key id:"))
            .unwrap()
            .trim()
            .to_owned()
    };
    let (first, second) = (key_id(&first), key_id(&second));
    assert_ne!(first, second);
    let retired = dir.path().join("keys/retired");
    assert!(
        retired.join(format!("kto-monitor-{first}.pub")).exists(),
        "the replaced key is kept to verify what it signed"
    );
    let store = Store::open(&db).unwrap();
    let keys = store.signing_keys().unwrap();
    assert_eq!(keys.len(), 2);
    assert!(keys
        .iter()
        .any(|k| k.key_id == first && k.retired_at.is_some()));
    drop(store);

    let out = dir.path().join("out");
    let mut cmd = monitor(&db, &["export", "--year", "2025", "--out"]);
    let signed = ok(cmd
        .arg(&out)
        .env("KTO_KEY_PASSPHRASE", PASSPHRASE)
        .output()
        .unwrap());
    assert!(
        signed.contains(&format!("key id:      {second}")),
        "{signed}"
    );

    let public = dir.path().join("for-the-monitor");
    let mut cmd = monitor(&db, &["key", "export-public", "--out"]);
    let written = ok(cmd.arg(&public).output().unwrap());
    assert!(
        written.contains(&format!("kto-monitor-{second}.pub")),
        "{written}"
    );
}

#[test]
fn a_definition_set_installed_beside_the_database_is_the_one_the_figures_use() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = office(dir.path());
    let mut set: serde_json::Value =
        serde_json::from_str(kto_report::monitor::DEFAULT_DEFINITIONS_JSON).unwrap();
    set["version"] = "office-2027".into();
    std::fs::create_dir_all(dir.path().join("monitor")).unwrap();
    std::fs::write(dir.path().join("monitor/definitions.json"), set.to_string()).unwrap();
    let out = ok(monitor(&db, &["figures", "--year", "2025"])
        .output()
        .unwrap());
    assert!(out.contains("definitions office-2027"), "{out}");
}

#[test]
fn inputs_are_set_shown_and_cleared_per_year() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = office(dir.path());
    let out = ok(monitor(
        &db,
        &[
            "inputs",
            "--year",
            "2025",
            "--research-expenditure",
            "1234567.8",
            "--research-fte",
            "1234.5",
            "--kto-fte",
            "12,25",
        ],
    )
    .output()
    .unwrap());
    assert!(out.contains("€1,234,567.80"), "{out}");
    assert!(
        out.contains("1,234.50 FTE") && out.contains("12.25 FTE"),
        "{out}"
    );
    let out = ok(
        monitor(&db, &["inputs", "--year", "2025", "--kto-fte", "-"])
            .output()
            .unwrap(),
    );
    assert!(out.contains("KTO staff:            not available"), "{out}");
    assert!(out.contains("1,234.50 FTE"), "{out}");
    let err = fails(
        &monitor(
            &db,
            &["inputs", "--year", "2025", "--research-fte", "12.345"],
        )
        .output()
        .unwrap(),
    );
    assert!(err.contains("at most two decimals"), "{err}");
}

#[test]
fn an_export_verifies_with_kto_and_minisign_until_a_byte_changes_and_a_second_one_supersedes_it() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = office(dir.path());
    let (key, public) = keygen(&dir.path().join("keys"));
    let out_dir = dir.path().join("out");
    let printed = ok(export(&db, &key, &out_dir, PASSPHRASE));
    let file = out_dir.join("kto-monitor-uvh-2025-v1.json");
    let sig = out_dir.join("kto-monitor-uvh-2025-v1.json.minisig");
    let pdf = out_dir.join("kto-monitor-uvh-2025-v1.pdf");
    assert!(file.exists() && sig.exists() && pdf.exists(), "{printed}");
    assert!(printed.contains("verified:    valid"), "{printed}");

    let verified = ok(kto()
        .arg("verify")
        .arg(&file)
        .arg("--pubkey")
        .arg(&public)
        .output()
        .unwrap());
    assert!(verified.contains("2025"), "{verified}");
    let minisign = Command::new("minisign")
        .arg("-Vm")
        .arg(&file)
        .arg("-p")
        .arg(&public)
        .output()
        .expect("minisign must be installed (apt-get install minisign)");
    assert!(minisign.status.success(), "{}", stderr(&minisign));
    assert!(
        stdout(&minisign).contains("kto-monitor institution=uvh year=2025 sha256="),
        "{}",
        stdout(&minisign)
    );

    // The file holds the figures with the institution and the definition version.
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(json["institution"]["id"], "uvh");
    assert!(
        json.get("sync").is_none(),
        "an office on one laptop says nothing of sync"
    );
    assert_eq!(json["definition_version"], "2026.1");
    let id = json["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "ID")
        .unwrap();
    assert_eq!(id["value"], 2);
    assert!(json["supersedes"].is_null());

    // Beside it, the JSON Schema it follows, for whoever checks the file.
    let schema_path = out_dir.join("kto-monitor-uvh-2025-v1.schema.json");
    assert!(printed.contains("schema:"), "{printed}");
    let schema: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&schema_path).unwrap()).unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&schema)
        .unwrap();
    assert!(validator.is_valid(&json));
    let mut broken = json.clone();
    broken["figures"][0]["value"] = "many".into();
    assert!(!validator.is_valid(&broken), "the schema checks the values");

    // The PDF's text has the figure and the institution with its dash.
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext must be installed (apt-get install poppler-utils)");
    let text = stdout(&text);
    assert!(text.contains("Invention disclosures"), "{text}");
    assert!(
        text.contains("Universiteit van Hollandia – Kennisoverdracht"),
        "{text}"
    );

    // One changed byte: both verifiers refuse.
    let mut bytes = std::fs::read(&file).unwrap();
    let at = bytes.iter().position(|b| *b == b'2').unwrap();
    bytes[at] = b'3';
    let tampered = dir.path().join("tampered.json");
    std::fs::write(&tampered, &bytes).unwrap();
    std::fs::copy(&sig, dir.path().join("tampered.json.minisig")).unwrap();
    let err = fails(
        &kto()
            .arg("verify")
            .arg(&tampered)
            .arg("--pubkey")
            .arg(&public)
            .output()
            .unwrap(),
    );
    assert!(err.contains("changed after signing"), "{err}");
    let minisign = Command::new("minisign")
        .arg("-Vm")
        .arg(&tampered)
        .arg("-p")
        .arg(&public)
        .output()
        .unwrap();
    assert!(!minisign.status.success());

    // Signing again is a correction: version 2 names version 1's hash.
    let first_sha = kto_report::sha256_hex(&std::fs::read(&file).unwrap());
    ok(export(&db, &key, &out_dir, PASSPHRASE));
    let v2 = out_dir.join("kto-monitor-uvh-2025-v2.json");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&v2).unwrap()).unwrap();
    assert_eq!(json["supersedes"], first_sha.as_str());
    ok(kto()
        .arg("verify")
        .arg(&v2)
        .arg("--pubkey")
        .arg(&public)
        .output()
        .unwrap());
    let store = Store::open(&db).unwrap();
    let stored = store.submissions().unwrap();
    assert_eq!(stored.len(), 2);
    assert_eq!(
        stored[0].supersedes_id.as_deref(),
        Some(stored[1].id.as_str())
    );
}

#[test]
fn a_wrong_passphrase_is_named_and_nothing_is_written_or_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = office(dir.path());
    let (key, _) = keygen(&dir.path().join("keys"));
    let out_dir = dir.path().join("out");
    let err = fails(&export(&db, &key, &out_dir, "not the passphrase"));
    assert!(err.contains("wrong passphrase"), "{err}");
    assert!(!out_dir.join("kto-monitor-uvh-2025-v1.json").exists());
    assert!(Store::open(&db).unwrap().submissions().unwrap().is_empty());
}

#[test]
fn an_empty_year_is_refused_before_the_passphrase_is_asked() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = office(dir.path());
    let (key, _) = keygen(&dir.path().join("keys"));
    let mut cmd = monitor(&db, &["export", "--year", "2019", "--key"]);
    let out = cmd
        .arg(&key)
        .arg("--out")
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    let err = fails(&out);
    assert!(
        err.contains("nothing to report for 2019 (2019-01-01 to 2019-12-31)"),
        "{err}"
    );
}

#[test]
fn the_head_signs_the_merged_office_and_the_file_names_each_laptop_and_its_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = office(dir.path());
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    ok(kto()
        .arg("--db")
        .arg(&db)
        .args(["sync", "--snapshot", "--folder"])
        .arg(&shared)
        .output()
        .unwrap());
    // Bram joins and records a third disclosure of 2025 on his laptop.
    let bram = dir.path().join("bram.sqlite3");
    let (mut store, _) = Store::join_office(&shared, &bram, "Bram").unwrap();
    let input = DisclosureInput {
        reference: String::new(),
        title: "Self-healing asphalt".into(),
        received_on: Some(NaiveDate::from_ymd_opt(2025, 9, 1).unwrap()),
        faculty: "Engineering".into(),
        trl: None,
        stage: DisclosureStage::Received,
        decision: None,
        decided_on: None,
        summary: String::new(),
        inventors: vec![InventorInput {
            person_id: None,
            name: "Inventor of asphalt".into(),
            organisation_id: None,
            share_bp: 10_000,
        }],
    };
    let valid = validate(&input, NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()).unwrap();
    store.create_disclosure(&change(), &valid).unwrap();
    store.sync_folder(&shared).unwrap();
    drop(store);
    ok(kto()
        .arg("--db")
        .arg(&db)
        .args(["sync", "--folder"])
        .arg(&shared)
        .output()
        .unwrap());

    let (key, _) = keygen(&dir.path().join("keys"));
    let out_dir = dir.path().join("out");
    ok(export(&db, &key, &out_dir, PASSPHRASE));
    let file = out_dir.join("kto-monitor-uvh-2025-v1.json");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let id = json["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "ID")
        .unwrap();
    assert_eq!(id["value"], 3, "both laptops' disclosures are counted");
    let devices = json["sync"]["devices"].as_array().unwrap();
    assert_eq!(devices.len(), 2, "{devices:?}");
    let bram = devices.iter().find(|d| d["name"] == "Bram").unwrap();
    assert_eq!(bram["changes"], 1);
    assert!(bram["newest_change_at"].is_string());
    assert!(json["sync"]["last_synced_at"].is_string());
}
