//! A database damaged on disk: the app opens in safe mode, offers the newest good backup,
//! restores it only after a confirmation, and keeps the damaged file beside it.

use std::io::{Seek, SeekFrom, Write};

use chrono::{TimeZone, Utc};
use kto_core::activity::{Change, RecordKind};
use kto_core::backup::BackupKind;
use kto_core::record::{Value, Values};
use kto_store::Store;

use crate::harness::Driver;

fn organisation(name: &str) -> Values {
    let mut v = Values::new();
    v.insert("name".into(), Value::Text(name.into()));
    v.insert("kind".into(), Value::Text("sme".into()));
    v.insert("country".into(), Value::Text("NL".into()));
    v
}

#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_database_opens_in_safe_mode_and_the_newest_good_backup_is_restored() {
    let driver = Driver::start();
    let backups = driver.data_dir.path().join(kto_store::BACKUP_DIR_NAME);
    let change = Change {
        actor: "Eva".into(),
        at: Utc::now(),
    };
    {
        let mut store = Store::open(&driver.db_path()).unwrap();
        store
            .create_record(
                &change,
                RecordKind::Organisation,
                &organisation("Heliox Coatings"),
            )
            .unwrap();
        store
            .backup_into(
                &backups,
                BackupKind::Auto,
                Utc.with_ymd_and_hms(2026, 11, 27, 8, 0, 0).unwrap(),
            )
            .unwrap();
        store
            .create_record(
                &change,
                RecordKind::Organisation,
                &organisation("Made after the backup"),
            )
            .unwrap();
        store.close().unwrap();
    }
    // Overwrite pages in the middle of the file, as a failing disk would.
    {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(driver.db_path())
            .unwrap();
        let len = f.metadata().unwrap().len();
        f.seek(SeekFrom::Start(len / 2 / 4096 * 4096)).unwrap();
        f.write_all(&[0xA5; 3 * 4096]).unwrap();
    }
    assert!(
        Store::open(&driver.db_path()).is_err(),
        "the file must really be damaged for this journey"
    );
    let damaged = std::fs::read(driver.db_path()).unwrap();

    let app = driver.launch().await;
    app.wait_text("#open-failed", |s| !s.is_empty()).await;
    let offer = app.wait_text("#newest-good", |s| s.contains("2026")).await;
    assert!(!offer.is_empty());
    assert_eq!(
        std::fs::read(driver.db_path()).unwrap(),
        damaged,
        "nothing is written before the user confirms"
    );

    app.click("#newest-good button").await;
    app.wait_text("#confirm-restore-text", |s| !s.is_empty())
        .await;
    app.screenshot("safe-mode").await;
    app.click("#confirm-restore-yes").await;
    // The office opens again once the restore is done: the safe-mode screen goes away.
    app.wait_gone("#open-failed").await;

    // The office is back as it was at the backup.
    app.click("#nav-organisation").await;
    app.fill("#records-search", "Heliox").await;
    app.wait_text("#records-table", |s| s.contains("Heliox Coatings"))
        .await;
    app.quit().await;

    let aside: Vec<_> = std::fs::read_dir(driver.data_dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".damaged-"))
        .collect();
    assert_eq!(aside.len(), 1, "the damaged file is kept beside the office");
    assert_eq!(
        std::fs::read(aside[0].path()).unwrap(),
        damaged,
        "and kept unchanged"
    );
    let store = Store::open(&driver.db_path()).unwrap();
    let names: Vec<String> = store
        .find_records(RecordKind::Organisation, "Heliox", 10)
        .unwrap()
        .into_iter()
        .map(|r| r.title)
        .collect();
    assert_eq!(names, ["Heliox Coatings"]);
    assert!(store
        .find_records(RecordKind::Organisation, "after", 10)
        .unwrap()
        .is_empty());
}
