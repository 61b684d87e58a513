//! A business developer records an invention disclosure, finds it again, and still finds
//! it after a restart; bad input is refused with a message and nothing is saved.

use crate::harness::Driver;

#[tokio::test(flavor = "multi_thread")]
async fn a_disclosure_with_two_inventors_is_created_found_and_survives_a_restart() {
    let driver = Driver::start();
    let app = driver.launch().await;

    // A fresh data folder: the database is created there and the welcome screen offers a start.
    app.wait_text("#welcome-title", |s| s.contains("Welcome"))
        .await;
    assert!(
        driver.db_path().exists(),
        "the database file must be created in KTO_DESK_DATA_DIR"
    );
    app.click("#start-empty").await;

    app.fill("#f-title", "Self-healing perovskite solar cell")
        .await;
    app.fill("#f-faculty", "Science and Engineering").await;
    app.fill("#f-trl", "3").await;
    app.fill(
        "#f-summary",
        "A coating that repairs micro-cracks under sunlight.",
    )
    .await;
    app.fill("#inv-0-name", "Anouk de Vries").await;
    app.fill("#inv-0-share", "60").await;
    app.click("#add-inventor").await;
    app.fill("#inv-1-name", "Bram Jansen").await;

    // Shares that do not add up to 100 % are refused next to the inventors; nothing is saved.
    app.fill("#inv-1-share", "30").await;
    app.click("#save").await;
    let msg = app.wait_text("#inventors-error", |s| !s.is_empty()).await;
    assert!(
        msg.contains("90"),
        "the message names the wrong total: {msg}"
    );
    app.wait_text("#error-banner", |s| s.contains("Nothing was saved"))
        .await;
    app.screenshot("form-invalid-shares").await;

    // A TRL outside 1–9 gets its own message.
    app.fill("#f-trl", "12").await;
    app.fill("#inv-1-share", "40").await;
    app.click("#save").await;
    app.wait_text("#f-trl-error", |s| s.contains("1 to 9"))
        .await;
    app.fill("#f-trl", "3").await;
    app.click("#save").await;

    // The saved record shows its reference, inventors and history.
    app.wait_text("#detail-title", |s| {
        s == "Self-healing perovskite solar cell"
    })
    .await;
    let reference = app
        .wait_text("#detail-reference", |s| s.starts_with("D-"))
        .await;
    let inventors = app
        .wait_text("#detail-inventors", |s| s.contains("Bram Jansen"))
        .await;
    assert!(
        inventors.contains("Anouk de Vries")
            && (inventors.contains("60%") || inventors.contains("60 %")),
        "{inventors}"
    );
    app.wait_text("#history", |s| s.contains("created the record"))
        .await;

    // The search box finds it by a word prefix.
    app.click("#back-to-list").await;
    app.fill("#search", "perovsk").await;
    app.wait_text("#disclosure-rows", |s| {
        s.contains("Self-healing perovskite solar cell")
    })
    .await;
    app.wait_text("#list-count", |s| s.contains("1 of 1")).await;
    app.screenshot("disclosure-found").await;
    app.quit().await;

    // After a restart the record is still there, found by an inventor's name.
    let app = driver.launch().await;
    app.wait_text("#week-title", |s| s == "My week").await;
    app.click("#nav-disclosures").await;
    app.fill("#search", "jansen").await;
    let rows = app
        .wait_text("#disclosure-rows", |s| s.contains(&reference))
        .await;
    assert!(
        rows.contains("Self-healing perovskite solar cell"),
        "{rows}"
    );
    assert_eq!(
        app.texts("#disclosure-rows .table-row").await.len(),
        1,
        "only one disclosure was saved"
    );
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_office_loads_and_the_app_speaks_dutch() {
    let driver = Driver::start();
    let app = driver.launch().await;
    app.click("#load-demo").await;
    app.wait_text("#notice", |s| s.contains("48 disclosures"))
        .await;
    // The demo office opens on My week, the start page.
    app.wait_text("#week-title", |s| s == "My week").await;
    app.click("#nav-disclosures").await;
    app.wait_text("#list-count", |s| s.contains("48 disclosures"))
        .await;

    app.click("#lang-nl").await;
    app.wait_text("#list-title", |s| s == "Uitvindingsmeldingen")
        .await;
    app.wait_text("#list-count", |s| s.contains("48 meldingen"))
        .await;
    // Dates in the Dutch habit: dd-mm-jjjj.
    let first = app
        .wait_text("#disclosure-rows .table-row .col-date", |s| !s.is_empty())
        .await;
    assert!(first.len() == 10 && first.as_bytes()[2] == b'-', "{first}");

    // Sorting by title puts the rows in alphabetical order.
    app.click("button[data-sort='title']").await;
    app.wait_text("#list-count", |s| s.contains("48")).await;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let titles = app.texts("#disclosure-rows .table-row .col-title").await;
    let mut sorted = titles.clone();
    sorted.sort_by_key(|t| t.to_lowercase());
    assert_eq!(titles, sorted);

    app.click("#disclosure-rows .table-row").await;
    app.wait_text("#history", |s| {
        s.contains("fase gewijzigd") || s.contains("aangemaakt")
    })
    .await;
    app.screenshot("demo-dutch-detail").await;
    app.quit().await;

    // The language choice is kept, and the start page is the week: next actions due soon
    // or overdue, and the pipeline chart.
    let app = driver.launch().await;
    app.wait_text("#week-title", |s| s == "Mijn week").await;
    let chart = app
        .wait_text("#pipeline-chart", |s| s.contains("Licenties"))
        .await;
    assert!(
        chart.contains("Onderhandeling") && chart.contains("€"),
        "{chart}"
    );
    let actions = app.texts("#overdue li, #upcoming li").await;
    assert!(!actions.is_empty(), "the demo office has next actions due");
    app.click("#overdue li button, #upcoming li button").await;
    app.wait_text("#deal-history", |s| s.contains("aangemaakt"))
        .await;
    app.screenshot("week-dutch").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_office_loaded_in_dutch_is_written_in_dutch() {
    let driver = Driver::start();
    let app = driver.launch().await;
    app.find("#welcome-title").await;
    app.click("#lang-nl").await;
    app.click("#load-demo").await;
    app.wait_text("#week-title", |s| s == "Mijn week").await;
    app.click("#nav-disclosures").await;
    app.fill("#search", "perovskiet").await;
    app.wait_text("#disclosure-rows", |s| {
        s.contains("Perovskiet-tandemzonnecel met zelfherstellende grenslaag")
    })
    .await;
    // Its patent is on the same subject, and the licence deals are named in Dutch.
    app.click("#nav-patent").await;
    app.fill("#records-search", "perovskiet").await;
    app.wait_text("#records-table", |s| {
        s.contains("Zelfherstellende grenslaag voor perovskiet-tandemzonnecellen")
    })
    .await;
    app.click("#nav-boards").await;
    app.wait_text("#board", |s| s.contains("Licentie nitraatsensor"))
        .await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_database_from_a_newer_version_is_explained_and_left_untouched() {
    let driver = Driver::start();
    // Made by "a newer KTO Desk": a valid database whose schema version is ahead of this build.
    kto_store::Store::open(&driver.db_path()).unwrap();
    let status = std::process::Command::new("sqlite3")
        .arg(driver.db_path())
        .arg("PRAGMA user_version = 999;")
        .status()
        .expect("sqlite3 is installed by make test");
    assert!(status.success());
    let before = std::fs::read(driver.db_path()).unwrap();

    let app = driver.launch().await;
    let text = app
        .wait_text("#open-failed", |s| s.contains("newer version"))
        .await;
    assert!(text.contains("999"), "{text}");
    app.quit().await;
    assert_eq!(
        std::fs::read(driver.db_path()).unwrap(),
        before,
        "the file must not be changed"
    );
}
