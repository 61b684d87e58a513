//! The coordinator's National area in the real app: three offices sign their 2025
//! submission outside the app (one leaves its research expenditure not available), a
//! fourth file is one of them changed after signing, and one office's key is never
//! registered. The coordinator registers two keys from their `.pub` files, checks the
//! inbox, reads every refusal, drills into a figure, makes the coordinator key and signs
//! the national report, which is then verified here.

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Utc};
use kto_core::activity::Change;
use kto_core::money::Money;
use kto_core::monitor::{FinancialYearStart, MonitorSettings, OfficeInputs};
use kto_report::monitor::{default_definitions, export, ExportRequest};
use kto_report::Locale;
use kto_store::Store;
use serde_json::Value;

use crate::harness::{settle, Driver};

const PASSPHRASE: &str = "correct horse battery staple";

/// Signs the 2025 submission of a demo office into `inbox`; returns the `.pub` file and
/// the submission's path.
fn office(
    root: &Path,
    inbox: &Path,
    id: &str,
    name: &str,
    seed: u64,
    expenditure: Option<i64>,
) -> (PathBuf, PathBuf) {
    let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let mut store = Store::open(&root.join(format!("{id}.sqlite3"))).unwrap();
    store
        .load_demo(
            &kto_core::demo::office(seed, today, 18, 14),
            today,
            "Office head",
        )
        .unwrap();
    store
        .save_monitor_settings(&MonitorSettings {
            institution_id: id.into(),
            institution_name: name.into(),
            financial_year_start: FinancialYearStart::default(),
        })
        .unwrap();
    let change = Change {
        actor: "Office head".into(),
        at: Utc::now(),
    };
    store
        .save_office_inputs(
            &change,
            &OfficeInputs {
                id: String::new(),
                year: 2025,
                research_expenditure: expenditure.map(Money::from_euros),
                research_fte: Some(65_050),
                kto_fte: Some(850),
            },
        )
        .unwrap();
    let key = kto_report::generate(PASSPHRASE).unwrap();
    let public = root.join(format!("{id}.pub"));
    std::fs::write(&public, &key.public_text).unwrap();
    let defs = default_definitions().unwrap();
    let signed = export(
        &mut store,
        &ExportRequest {
            year: 2025,
            definitions: &defs,
            key: &key.signing_key,
            out_dir: inbox,
            signer: "Office head",
            app_version: "test",
            now: Utc::now(),
            today,
            locale: Locale::En,
        },
    )
    .unwrap();
    (public, PathBuf::from(signed.json_path))
}

fn figure(json: &Path, code: &str) -> Option<i64> {
    let v: Value = serde_json::from_slice(&std::fs::read(json).unwrap()).unwrap();
    v["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == code)
        .and_then(|f| f["value"].as_i64())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_coordinator_registers_keys_checks_the_inbox_and_signs_the_national_report() {
    let dir = tempfile::tempdir().unwrap();
    let (root, inbox, out) = (
        dir.path().join("offices"),
        dir.path().join("inbox"),
        dir.path().join("out"),
    );
    std::fs::create_dir_all(&root).unwrap();
    std::fs::create_dir_all(&inbox).unwrap();
    let (tue_pub, tue) = office(
        &root,
        &inbox,
        "tue",
        "Technische Universiteit Eindhoven",
        11,
        Some(412_000_000),
    );
    let (umcu_pub, umcu) = office(&root, &inbox, "umcu", "UMC Utrecht", 12, None);
    // Signed with a key the coordinator never registers.
    let (_, rug) = office(
        &root,
        &inbox,
        "rug",
        "Rijksuniversiteit Groningen",
        13,
        Some(300_000_000),
    );
    // UMC Utrecht's file with one figure raised after signing, beside its own signature.
    let tampered = inbox.join("kto-monitor-umcu-2025-changed.json");
    let text = std::fs::read_to_string(&umcu).unwrap();
    let so = figure(&umcu, "SO").unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    for f in v["figures"].as_array_mut().unwrap() {
        if f["code"] == "SO" {
            f["value"] = Value::from(so + 5);
        }
    }
    std::fs::write(&tampered, serde_json::to_vec(&v).unwrap()).unwrap();
    std::fs::copy(
        kto_report::signature_path_for(&umcu),
        kto_report::signature_path_for(&tampered),
    )
    .unwrap();

    let driver = Driver::start();
    let app = driver.launch().await;
    app.find("#welcome-title").await;
    app.click("#nav-national").await;
    app.wait_text("#nat-title", |s| s == "National monitor")
        .await;

    // Two keys from their .pub files.
    for (id, name, public) in [
        ("tue", "Technische Universiteit Eindhoven", &tue_pub),
        ("umcu", "UMC Utrecht", &umcu_pub),
    ] {
        app.fill("#nat-inst", id).await;
        app.fill("#nat-name", name).await;
        app.find("#nat-pub-file")
            .await
            .send_keys(public.to_str().unwrap())
            .await
            .unwrap();
        app.wait_text("#nat-pub", |_| true).await;
        settle().await;
        app.click("#nat-register-key").await;
        app.wait_text("#nat-keys-notice", |s| {
            s.contains(&format!("registered for {id}"))
        })
        .await;
    }
    let keys = app.text("#nat-key-list").await.unwrap();
    assert!(
        keys.contains("UMC Utrecht") && keys.contains("Active"),
        "{keys}"
    );
    // The same key for a second institution is refused with its reason.
    app.fill("#nat-inst", "tue2").await;
    app.fill("#nat-name", "Another name").await;
    app.find("#nat-pub-file")
        .await
        .send_keys(tue_pub.to_str().unwrap())
        .await
        .unwrap();
    settle().await;
    app.click("#nat-register-key").await;
    let refused = app
        .wait_text("#nat-keys .banner-error", |s| {
            s.contains("already registered")
        })
        .await;
    assert!(refused.contains("for tue"), "{refused}");

    // The inbox: two accepted, two refused with their reasons.
    app.fill("#nat-folder", inbox.to_str().unwrap()).await;
    app.click("#nat-check").await;
    let summary = app.wait_text("#nat-summary", |s| s.contains("files")).await;
    assert_eq!(summary, "4 files: 2 accepted, 0 superseded, 2 refused.");
    let row = |file: &Path| {
        format!(
            "#nat-files tr[data-file='{}']",
            file.file_name().unwrap().to_str().unwrap()
        )
    };
    let rug_row = app.text(&row(&rug)).await.unwrap();
    assert!(rug_row.contains("Refused: key not registered"), "{rug_row}");
    let tampered_row = app.text(&row(&tampered)).await.unwrap();
    assert!(
        tampered_row.contains("Refused: changed after signing"),
        "{tampered_row}"
    );
    assert!(app.text(&row(&tue)).await.unwrap().contains("Accepted"));

    // The national figures equal the sum of the accepted files, and what lacks is named.
    let so_total = figure(&tue, "SO").unwrap() + figure(&umcu, "SO").unwrap();
    let so_row = app
        .text("#nat-figure-table tr[data-code='SO']")
        .await
        .unwrap();
    assert!(so_row.contains(&format!("\t{so_total}\t")), "{so_row}");
    assert!(so_row.contains("2 counted"), "{so_row}");
    assert!(
        so_row.contains("ETH Zurich 37 (2024)"),
        "the peers stand beside it: {so_row}"
    );
    let expenditure = app
        .text("#nat-figure-table tr[data-code='IN-RES-EXP']")
        .await
        .unwrap();
    assert!(expenditure.contains("lacks UMC Utrecht"), "{expenditure}");
    app.scroll_to("#nat-inbox").await;
    settle().await;
    app.screenshot("national-inbox").await;
    app.scroll_to("#nat-figures").await;
    settle().await;
    app.screenshot("national-figures").await;

    // Drill-down to the submissions behind the figure.
    app.click("#nat-figure-table tr[data-code='SO'] button")
        .await;
    let drill = app
        .wait_text("#nat-drill", |s| s.contains("per office"))
        .await;
    assert!(
        drill.contains(tue.file_name().unwrap().to_str().unwrap()),
        "{drill}"
    );
    assert!(drill.contains("UMC Utrecht"), "{drill}");
    app.keys("\u{e00c}").await;
    app.wait_gone("#nat-drill").await;

    // The coordinator key, then the signed national report.
    app.fill("#nat-key-pass", PASSPHRASE).await;
    app.fill("#nat-key-pass2", PASSPHRASE).await;
    app.click("#nat-create-key").await;
    app.find("#nat-coordinator-key").await;
    app.fill("#nat-out", out.to_str().unwrap()).await;
    app.fill("#nat-pass", "not the passphrase").await;
    app.click("#nat-write").await;
    app.wait_text("#nat-report .field-error", |s| {
        s.contains("not the passphrase")
    })
    .await;
    assert!(
        !out.join("kto-national-2025.json").exists(),
        "nothing is written on a wrong passphrase"
    );
    app.fill("#nat-pass", PASSPHRASE).await;
    app.click("#nat-write").await;
    let written = app
        .wait_text("#nat-written", |s| s.contains("SHA-256"))
        .await;
    assert!(written.contains("counting 2 submissions"), "{written}");
    // The report opens with one click; a web view asking to open anything else is refused.
    app.find("#nat-open button").await;
    let refused = app
        .c
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             window.__TAURI_INTERNALS__.invoke('open_written', { path: '/bin/sh', folder: false })\
               .then(() => done('opened'), (e) => done(JSON.stringify(e)));",
            vec![],
        )
        .await
        .unwrap();
    let refused = refused.as_str().unwrap_or_default().to_string();
    assert!(refused.contains("opens only files it wrote"), "{refused}");
    app.scroll_to("#nat-report").await;
    settle().await;
    app.screenshot("national-report").await;
    app.quit().await;

    let json = out.join("kto-national-2025.json");
    let public = std::fs::read_to_string(
        driver
            .data_dir
            .path()
            .join("national")
            .join("coordinator.pub"),
    )
    .unwrap();
    let national = kto_report::national::verify_aggregate(
        &std::fs::read(&json).unwrap(),
        &std::fs::read_to_string(kto_report::signature_path_for(&json)).unwrap(),
        &public,
    )
    .unwrap();
    assert_eq!(national.submissions.len(), 2);
    let so = national.year(2025).unwrap().figure("SO").unwrap();
    assert_eq!(so.total, Some(so_total));
    for ext in ["pdf", "csv", "xlsx"] {
        assert!(
            out.join(format!("kto-national-2025.{ext}")).exists(),
            "{ext}"
        );
    }
}
