//! Two laptops of one office, each a real app with its own data folder, and one shared
//! folder: a deal made on the first appears on the second's board after it joins, and a
//! title changed on both before they sync shows in Conflicts on both, with both values.

use crate::harness::{App, Driver};

async fn settings_sync_now(app: &App) {
    app.click("#nav-settings").await;
    // The button takes clicks once the card knows the folder.
    app.wait_text("#sync-state", |s| s.contains("synced")).await;
    app.click("#sync-now").await;
    app.wait_text("#sync-report", |s| s.contains("written"))
        .await;
}

async fn rename_the_deal(app: &App, title: &str) {
    app.click("#nav-boards").await;
    app.click("[data-card] .card-title").await;
    app.fill("#d-title", title).await;
    app.click("#save-deal").await;
    app.wait_text("[data-stage='licensing:marketing']", |s| s.contains(title))
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_laptops_share_a_deal_through_the_folder_and_both_list_their_conflict() {
    let shared = tempfile::tempdir().unwrap();
    let folder = shared.path().display().to_string();
    let (ana_driver, bram_driver) = Driver::pair();

    // Ana: her name, the shared folder (typed, so confirmed), a deal, a sync and a snapshot.
    let ana = ana_driver.launch().await;
    ana.find("#welcome-title").await;
    ana.click("#nav-settings").await;
    ana.fill("#s-user", "Ana").await;
    ana.click("#save-settings").await;
    ana.fill("#sync-folder", &folder).await;
    ana.click("#sync-use").await;
    ana.click("#sync-confirm-yes").await;
    ana.wait_text("#sync-state", |s| s.contains("Not synced yet"))
        .await;
    ana.click("#nav-boards").await;
    ana.click("#new-deal").await;
    ana.fill("#d-title", "Licence nitrate sensor").await;
    ana.fill("#d-value", "40,000").await;
    ana.click("#save-deal").await;
    ana.wait_text("[data-stage='licensing:marketing']", |s| {
        s.contains("Licence nitrate sensor")
    })
    .await;
    settings_sync_now(&ana).await;
    ana.wait_text("#sync-code", |s| s == "A").await;
    ana.click("#sync-snapshot").await;
    ana.wait_text("#sync-notice", |s| s.contains("Snapshot written"))
        .await;

    // Bram: a fresh installation joins the office from the folder.
    let bram = bram_driver.launch().await;
    bram.find("#welcome-title").await;
    bram.fill("#welcome-name", "Bram").await;
    bram.fill("#join-folder", &folder).await;
    bram.click("#join-office").await;
    bram.click("#join-confirm-yes").await;
    bram.wait_text("#notice", |s| s.contains("joined the office"))
        .await;
    bram.click("#nav-boards").await;
    bram.wait_text("[data-stage='licensing:marketing']", |s| {
        s.contains("Licence nitrate sensor") && s.contains("€40,000.00")
    })
    .await;
    bram.screenshot("sync-joined-board").await;
    bram.click("#nav-settings").await;
    bram.wait_text("#sync-devices", |s| s.contains("Ana")).await;
    // The joined office is Ana's, the settings stay Bram's.
    assert_eq!(bram.value("#s-user").await, "Bram");
    bram.wait_text("#sync-code", |s| s == "B").await;

    // Both rename the deal before syncing; Ana's is the newer change.
    rename_the_deal(&bram, "Licence nitrate sensor (exclusive)").await;
    rename_the_deal(&ana, "Licence NO3 sensor").await;
    settings_sync_now(&ana).await;
    settings_sync_now(&bram).await;
    bram.wait_text("#sync-report", |s| s.contains("1 new conflicts"))
        .await;
    settings_sync_now(&ana).await;
    ana.wait_text("#sync-report", |s| s.contains("1 new conflicts"))
        .await;

    for (app, mine, theirs, name) in [
        (
            &ana,
            "Licence NO3 sensor",
            "Licence nitrate sensor (exclusive)",
            "ana",
        ),
        (
            &bram,
            "Licence nitrate sensor (exclusive)",
            "Licence NO3 sensor",
            "bram",
        ),
    ] {
        app.click("#nav-conflicts").await;
        let text = app
            .wait_text("#conflicts", |s| s.contains(mine) && s.contains(theirs))
            .await;
        assert!(text.contains("in use"), "{name}: {text}");
        assert_eq!(
            app.text("[data-conflict] .conflict-local").await.as_deref(),
            Some(mine),
            "{name}"
        );
        app.screenshot(&format!("sync-conflict-{name}")).await;
    }
    // The newer change is the office's on both laptops.
    bram.click("#nav-boards").await;
    bram.wait_text("[data-stage='licensing:marketing']", |s| {
        s.contains("Licence NO3 sensor") && !s.contains("exclusive")
    })
    .await;

    // Bram swaps: his title becomes the office's, and the conflict is settled here.
    bram.click("#nav-conflicts").await;
    bram.click("[data-conflict] .conflict-swap").await;
    bram.wait_text("#conflicts-none", |s| s.contains("No conflicts"))
        .await;
    settings_sync_now(&bram).await;
    settings_sync_now(&ana).await;
    ana.click("#nav-boards").await;
    ana.wait_text("[data-stage='licensing:marketing']", |s| {
        s.contains("Licence nitrate sensor (exclusive)")
    })
    .await;
    ana.quit().await;
    bram.quit().await;
}
