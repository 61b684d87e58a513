//! The office head's yearly monitor in the real app: load the demo office, set the
//! institution, pick a year with data, drill into figures down to their records, create a
//! signing key, be refused with a wrong passphrase (nothing saved), sign with the right
//! one, and find the saved file verified by Debian's `minisign`.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{Datelike, Local};

use crate::harness::Driver;

const PASSPHRASE: &str = "correct horse battery staple";

fn files_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_head_drills_into_a_figure_and_signs_a_year_that_minisign_verifies() {
    let driver = Driver::start();
    let data_dir = driver.db_path().parent().unwrap().to_path_buf();
    let app = driver.launch().await;
    app.click("#load-demo").await;
    app.find("#notice").await;

    app.click("#nav-monitor").await;
    app.wait_text("#monitor-title", |s| s == "Yearly monitor")
        .await;
    // Without an institution the screen says signing needs one.
    app.wait_text("#mon-no-institution", |s| {
        s.contains("Signing needs the institution")
    })
    .await;
    app.fill("#mon-inst-id", "demo-uni").await;
    app.fill("#mon-inst-name", "Demo University of Technology")
        .await;
    app.click("#save-mon-settings").await;
    app.wait_text("#mon-settings-saved", |s| s.contains("saved"))
        .await;

    // Last calendar year is the default; the demo office has records in it.
    let year = Local::now().year() - 1;
    app.select("#mon-year", &year.to_string()).await;
    app.wait_text("#mon-period", |s| s.contains(&format!("31/12/{year}")))
        .await;
    let figures = app
        .wait_text("#mon-figures", |s| s.contains("Invention disclosures"))
        .await;
    // Inputs not entered are "not available", not zero.
    let expenditure = app.text("#fig-IN-RES-EXP").await.unwrap();
    assert!(expenditure.contains("Not available"), "{expenditure}");
    assert!(
        figures.contains("Priority patent applications"),
        "{figures}"
    );

    // Entering an input makes its figure available.
    app.fill("#mon-res-exp", "12,500,000").await;
    app.fill("#mon-kto-fte", "twelve").await;
    app.click("#save-inputs").await;
    app.wait_text("#mon-kto-fte-error", |s| s.contains("FTE as a number"))
        .await;
    app.fill("#mon-kto-fte", "12.5").await;
    app.click("#save-inputs").await;
    app.wait_text("#fig-IN-RES-EXP", |s| s.contains("€12,500,000.00"))
        .await;
    app.wait_text("#fig-IN-KTO-FTE", |s| s.contains("12.5 FTE"))
        .await;

    // Drill down: the disclosures counted are those of the year, by reference and title.
    app.click("#drill-ID").await;
    let drill = app
        .wait_text("#mon-drill", |s| s.contains(&format!("D-{year}-0001")))
        .await;
    assert!(drill.contains("Disclosure"), "{drill}");
    app.screenshot("monitor-drill").await;
    assert!(!drill.contains(&format!("D-{}-", year - 1)), "{drill}");
    // A counted patent application opens its record.
    app.click("#drill-PA-PRIO").await;
    app.wait_text("#mon-drill", |s| {
        s.contains("Priority patent applications") && s.contains("Patent application")
    })
    .await;
    let patent = app.text("#mon-drill .drill-record").await.unwrap();
    app.click("#mon-drill .drill-record").await;
    // The drill-down adds the jurisdiction to the patent's title.
    app.wait_text("#record-title", |s| !s.is_empty() && patent.starts_with(s))
        .await;

    app.click("#nav-monitor").await;
    app.select("#mon-year", &year.to_string()).await;
    app.wait_text("#mon-checks", |s| s.contains("Checks before signing"))
        .await;

    // A signing key: the passphrase cannot be recovered, and the two must match.
    app.wait_text("#key-pass-note", |s| s.contains("cannot be recovered"))
        .await;
    app.fill("#key-pass", PASSPHRASE).await;
    app.fill("#key-pass2", "something else").await;
    app.click("#create-key").await;
    app.wait_text("#key-pass2-error", |s| s.contains("differ"))
        .await;
    app.fill("#key-pass2", PASSPHRASE).await;
    app.click("#create-key").await;
    let fingerprint = app.wait_text("#key-fingerprint", |s| s.len() == 64).await;
    let key_id = app.text("#key-id").await.unwrap();
    let public_key = data_dir.join("keys").join("kto-monitor.pub");
    assert!(public_key.exists());

    // Export the public key to the data folder (the default).
    app.click("#export-key").await;
    let exported = app.wait_text("#exported-key", |s| s.contains(".pub")).await;
    assert!(
        data_dir.join(format!("kto-monitor-{key_id}.pub")).exists(),
        "{exported}"
    );

    // A wrong passphrase: the message is next to the field and nothing is saved.
    let submissions = data_dir.join("submissions");
    app.fill("#sign-pass", "not the passphrase").await;
    app.click("#sign").await;
    app.wait_text("#sign-pass-error", |s| s.contains("Wrong passphrase"))
        .await;
    assert!(
        files_in(&submissions).is_empty(),
        "{:?}",
        files_in(&submissions)
    );
    assert!(app
        .text("#mon-submissions")
        .await
        .unwrap()
        .contains("Nothing has been signed yet"));

    // The right passphrase: saved, verified, and listed.
    app.fill("#sign-pass", PASSPHRASE).await;
    app.click("#sign").await;
    let result = app
        .wait_text("#sign-result", |s| s.contains("Saved and verified"))
        .await;
    assert!(result.contains(&fingerprint), "{result}");
    let json = PathBuf::from(app.text("#signed-json").await.unwrap().trim());
    let sha = app.text("#signed-sha").await.unwrap();
    assert!(json.starts_with(&submissions), "{}", json.display());
    assert_eq!(
        json.file_name().unwrap().to_string_lossy(),
        format!("kto-monitor-demo-uni-{year}-v1.json")
    );
    app.wait_text("#mon-submissions", |s| {
        s.contains(&sha[..12]) && s.contains("current")
    })
    .await;

    // Nothing sticks out sideways: long paths and hashes wrap.
    let widths = app
        .c
        .execute(
            "const c = document.querySelector('.content'); return [c.scrollWidth, c.clientWidth];",
            vec![],
        )
        .await
        .unwrap();
    assert!(widths[0].as_u64() <= widths[1].as_u64(), "{widths}");
    let shot = app.screenshot("monitor").await;
    eprintln!("screenshot: {}", shot.display());

    // On disk: the file and its signature, verified by the standard tool.
    let sig = PathBuf::from(format!("{}.minisig", json.display()));
    assert!(json.exists() && sig.exists());
    let out = Command::new("/usr/bin/minisign")
        .arg("-Vm")
        .arg(&json)
        .arg("-p")
        .arg(&public_key)
        .output()
        .expect("minisign runs");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains("institution=demo-uni")
            && said.contains(&format!("year={year}"))
            && said.contains(&sha),
        "{said}"
    );
    app.quit().await;
}
