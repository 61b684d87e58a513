//! A business developer runs a licence deal across the board to "signed", and a lost deal
//! must say why; the global search finds a consortium by a word in its notes. A disclosure
//! crosses its board to "decided" only with a decision; the deal table sorts and filters.

use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
use fantoccini::key::Key;

use crate::harness::{App, Driver};

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

/// Creates a disclosure with one inventor through the form, starting from the welcome page.
async fn create_disclosure(app: &App, title: &str) {
    app.click("#start-empty").await;
    app.fill("#f-title", title).await;
    app.fill("#f-faculty", "Science and Engineering").await;
    app.fill("#inv-0-name", "Anouk de Vries").await;
    app.fill("#inv-0-share", "100").await;
    app.click("#save").await;
    app.wait_text("#detail-title", |s| s == title).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_disclosure_crosses_its_board_to_decided_only_with_a_decision() {
    let driver = Driver::start();
    let app = driver.launch().await;
    app.find("#welcome-title").await;
    create_disclosure(&app, "Graphene water filter").await;

    app.click("#nav-disclosures").await;
    app.click("#show-disclosure-board").await;
    app.wait_text("[data-stage='received']", |s| {
        s.contains("Graphene water filter") && s.contains("Anouk de Vries")
    })
    .await;
    app.wait_text("[data-stage='received'] .column-stats", |s| {
        s == "1 disclosure"
    })
    .await;

    // By keyboard: Ctrl+→ on the focused card moves it on, and the card keeps the focus.
    app.find("[data-card]")
        .await
        .send_keys(&(Key::Control + &Key::Right))
        .await
        .unwrap();
    app.wait_text("[data-stage='inAssessment']", |s| {
        s.contains("Graphene water filter")
    })
    .await;
    let t = std::time::Instant::now();
    loop {
        let focused = app
            .c
            .execute(
                "return document.activeElement?.closest('[data-stage]')?.dataset.stage ?? null;",
                vec![],
            )
            .await
            .unwrap();
        if focused.as_str() == Some("inAssessment") {
            break;
        }
        assert!(
            t.elapsed().as_secs() < 15,
            "the moved card lost the focus: {focused}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    // By dragging the card onto "decided": the decision dialog opens first.
    let card = app.find("[data-stage='inAssessment'] [data-card]").await;
    let decided = app.find("[data-stage='decided']").await;
    let drag = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: card,
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::MoveBy {
            duration: Some(std::time::Duration::from_millis(100)),
            x: 20.0,
            y: 0.0,
        })
        .then(PointerAction::MoveToElement {
            element: decided,
            duration: Some(std::time::Duration::from_millis(200)),
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    app.c.perform_actions(drag).await.unwrap();
    app.wait_text("#decision-dialog", |s| s.contains("Graphene water filter"))
        .await;

    // No decision picked: refused beside the choice, and the card has not moved.
    app.click("#confirm-decision").await;
    app.wait_text("#decision-error", |s| s.contains("needs a decision"))
        .await;
    assert!(app
        .text("[data-stage='decided']")
        .await
        .is_some_and(|s| !s.contains("Graphene water filter")));

    // Cancelling leaves the card where it was.
    app.click("#cancel-decision").await;
    app.wait_text("[data-stage='inAssessment']", |s| {
        s.contains("Graphene water filter")
    })
    .await;
    assert!(app.text("#decision-dialog").await.is_none());

    // With a decision (and today's date, proposed by the dialog) the move is recorded.
    app.click("[data-stage='inAssessment'] [data-card] .move-next")
        .await;
    app.click("#decision-release").await;
    app.click("#confirm-decision").await;
    let column = app
        .wait_text("[data-stage='decided']", |s| {
            s.contains("Graphene water filter")
        })
        .await;
    assert!(column.contains("Release to inventors"), "{column}");
    app.wait_text("[data-stage='inAssessment'] .column-stats", |s| {
        s == "0 disclosures"
    })
    .await;
    app.screenshot("disclosure-board").await;

    // The history names both moves and the decision.
    app.click("[data-stage='decided'] .card-title").await;
    app.wait_text("#detail-stage", |s| s == "Decided").await;
    let history = app
        .wait_text("#history", |s| s.contains("Release to inventors"))
        .await;
    for text in ["Received", "In assessment", "Decided", "moved the stage"] {
        assert!(history.contains(text), "{text} missing: {history}");
    }
    app.quit().await;
}

/// Creates a licensing deal from the board and waits until it shows there.
async fn create_deal(app: &App, title: &str, value: &str, owner: &str, next: &str) {
    app.click("#new-deal").await;
    app.fill("#d-title", title).await;
    app.fill("#d-value", value).await;
    app.fill("#d-owner", owner).await;
    if !next.is_empty() {
        app.fill("#d-next", next).await;
        app.fill("#d-due", "31/12/2099").await;
    }
    app.click("#save-deal").await;
    app.wait_text("[data-stage='licensing:marketing']", |s| s.contains(title))
        .await;
}

/// The titles of the deal table's rows, top to bottom.
async fn table_titles(app: &App) -> Vec<String> {
    app.texts("#deals-table tbody tr.clickable td:first-child")
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_deal_table_sorts_by_value_filters_by_stage_and_keeps_a_view() {
    let driver = Driver::start();
    let app = driver.launch().await;
    app.find("#welcome-title").await;
    app.click("#nav-boards").await;
    app.wait_text("#board-title", |s| s.contains("Licensing"))
        .await;
    create_deal(
        &app,
        "Nitrate sensor licence",
        "40,000",
        "Eva",
        "Send the draft licence",
    )
    .await;
    create_deal(
        &app,
        "Bio-ink option",
        "250,000",
        "Joost",
        "Call the licensee",
    )
    .await;
    create_deal(&app, "Coating know-how", "5,000", "Eva", "").await;
    // The bio-ink option moves on to "interest".
    app.click("[data-card][aria-label='Bio-ink option'] .move-next")
        .await;
    app.wait_text("[data-stage='licensing:interest']", |s| {
        s.contains("Bio-ink option")
    })
    .await;

    app.click("#show-table").await;
    app.wait_text("#deals-count", |s| s == "3 deals").await;
    let rows = app
        .wait_text("#deals-table", |s| s.contains("Interest"))
        .await;
    assert!(
        rows.contains("€250,000.00") && rows.contains("Joost"),
        "{rows}"
    );

    app.click("#deals-table [data-sort='value']").await;
    let t = std::time::Instant::now();
    while table_titles(&app).await
        != [
            "Coating know-how",
            "Nitrate sensor licence",
            "Bio-ink option",
        ]
    {
        assert!(
            t.elapsed().as_secs() < 15,
            "not sorted by value: {:?}",
            table_titles(&app).await
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    app.click("#deals-table [data-sort='value']").await;
    let t = std::time::Instant::now();
    while table_titles(&app).await
        != [
            "Bio-ink option",
            "Nitrate sensor licence",
            "Coating know-how",
        ]
    {
        assert!(
            t.elapsed().as_secs() < 15,
            "not sorted by value, largest first: {:?}",
            table_titles(&app).await
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    // Only the deals in "marketing", saved as a view.
    app.select("#deal-filter-stage", "licensing:marketing")
        .await;
    app.wait_text("#deals-count", |s| s == "2 deals").await;
    assert_eq!(
        table_titles(&app).await,
        ["Nitrate sensor licence", "Coating know-how"]
    );
    app.click("#deal-save-view").await;
    app.fill("#deal-view-name", "Marketing pipeline").await;
    app.click("#deal-view-save").await;
    let t = std::time::Instant::now();
    while !app
        .texts("#deal-views option")
        .await
        .contains(&"Marketing pipeline".to_string())
    {
        assert!(t.elapsed().as_secs() < 15, "the saved view is not offered");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    app.find("#deal-save-view").await;
    let picked = app
        .c
        .execute(
            "return document.querySelector('#deal-views').value;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(picked.as_str(), Some("Marketing pipeline"));
    app.screenshot("deals-table").await;

    // Back to every stage, then the saved view narrows the table again.
    app.select("#deal-filter-stage", "").await;
    app.wait_text("#deals-count", |s| s == "3 deals").await;
    app.select("#deal-views", "Marketing pipeline").await;
    app.wait_text("#deals-count", |s| s == "2 deals").await;

    // A search finds a deal by a word of its title; Enter on its row opens it.
    app.select("#deal-filter-stage", "").await;
    app.fill("#deal-search", "bio-ink").await;
    app.wait_text("#deals-count", |s| s == "1 deal").await;
    app.find("#deals-table tbody tr.clickable")
        .await
        .send_keys(&Key::Enter.to_string())
        .await
        .unwrap();
    app.wait_text("#deal-title", |s| s == "Bio-ink option")
        .await;
    app.quit().await;
}
