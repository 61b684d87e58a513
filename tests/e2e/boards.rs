//! A business developer runs a licence deal across the board to "signed", and a lost deal
//! must say why; the global search finds a consortium by a word in its notes.

use crate::harness::Driver;

#[tokio::test(flavor = "multi_thread")]
async fn a_licence_deal_moves_across_the_board_to_signed_and_keeps_its_history() {
    let driver = Driver::start();
    let app = driver.launch().await;
    app.find("#welcome-title").await;
    app.click("#nav-boards").await;
    app.wait_text("#board-title", |s| s.contains("Licensing"))
        .await;

    app.click("#new-deal").await;
    app.fill("#d-title", "Licence nitrate sensor").await;
    app.fill("#d-value", "40,000").await;
    app.fill("#d-next", "Send the draft licence").await;
    app.fill("#d-due", "31/12/2099").await;
    app.click("#save-deal").await;

    let first = "[data-stage='licensing:marketing']";
    app.wait_text(first, |s| {
        s.contains("Licence nitrate sensor") && s.contains("€40,000.00")
    })
    .await;

    // Four steps on: interest, negotiation, term sheet, signed.
    for stage in ["interest", "negotiation", "term_sheet", "signed"] {
        app.click("[data-card] .move-next").await;
        app.wait_text(&format!("[data-stage='licensing:{stage}']"), |s| {
            s.contains("Licence nitrate sensor")
        })
        .await;
    }
    let signed = app
        .wait_text("[data-stage='licensing:signed'] .column-stats", |s| {
            s.starts_with("1 deal ·")
        })
        .await;
    assert!(signed.contains("€40,000.00"), "{signed}");
    let marketing = app
        .wait_text(&format!("{first} .column-stats"), |s| !s.is_empty())
        .await;
    assert!(marketing.starts_with("0 deals"), "{marketing}");
    app.screenshot("board-signed").await;

    // On to "lost": refused without a reason, accepted with one.
    app.click("[data-card] .move-next").await;
    app.click("#confirm-lost").await;
    app.wait_text("#lost-reason-error", |s| s.contains("why"))
        .await;
    app.fill("#lost-reason", "The licensee chose a competing sensor.")
        .await;
    app.click("#confirm-lost").await;
    app.wait_text("[data-stage='licensing:lost']", |s| {
        s.contains("Licence nitrate sensor")
    })
    .await;

    // The deal's history names every stage it passed.
    app.click("[data-card] .card-title").await;
    let history = app.wait_text("#deal-history", |s| s.contains("Lost")).await;
    for stage in [
        "Marketing",
        "Interest",
        "Negotiation",
        "Term sheet",
        "Signed",
    ] {
        assert!(
            history.contains(stage),
            "{stage} missing from the history: {history}"
        );
    }
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn global_search_finds_a_consortium_by_a_word_in_its_notes() {
    let driver = Driver::start();
    let app = driver.launch().await;
    app.find("#welcome-title").await;
    app.click("#nav-boards").await;
    app.click("#pipeline-pps").await;
    app.wait_text("#board-title", |s| s.contains("PPS")).await;
    app.click("#new-deal").await;
    app.fill("#d-title", "Horizon Europe: rare-earth recycling")
        .await;
    app.fill(
        "#d-notes",
        "Coordinator wants a magnetocaloric work package.",
    )
    .await;
    app.click("#save-deal").await;
    app.wait_text("[data-stage='pps:idea']", |s| s.contains("rare-earth"))
        .await;

    app.click("#open-search").await;
    app.fill("#global-search", "magnetoc").await;
    let group = app
        .wait_text("#global-results [data-kind='deal']", |s| {
            s.contains("rare-earth recycling")
        })
        .await;
    assert!(
        group.contains("PPS consortia") && group.contains("magnetocaloric"),
        "{group}"
    );
    app.screenshot("global-search").await;
    app.click("#global-results .palette-hit").await;
    app.wait_text("#deal-title", |s| {
        s == "Horizon Europe: rare-earth recycling"
    })
    .await;
    app.quit().await;
}
