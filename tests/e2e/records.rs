//! The record kinds in the real app: a patent filed with a priority date puts its PCT
//! deadline on My week; a consortium keeps a note and a signed file, and a partner
//! contribution is refused without its partner; in the demo office a consortium is found
//! by a word in one of its notes, and deleting it asks first. A long table draws only the
//! rows in view and fetches their pages as it scrolls. In Dutch, bad input is named beside
//! its field, and a record others cannot be without is not deleted.

use chrono::{Local, Months};
use fantoccini::key::Key;

use crate::harness::Driver;

#[tokio::test(flavor = "multi_thread")]
async fn a_pct_filing_with_a_priority_date_shows_its_national_phase_on_my_week() {
    let driver = Driver::start();
    let app = driver.launch().await;
    app.find("#welcome-title").await;
    app.click("#nav-patent").await;
    app.wait_text("#records-title", |s| s == "Patent applications")
        .await;
    app.click("#new-record").await;

    // Priority 30 months minus ten days ago: the national phase is ten days away.
    let today = Local::now().date_naive();
    let priority = today.checked_sub_months(Months::new(30)).unwrap() + chrono::Days::new(10);
    let filed = priority + chrono::Days::new(360);
    app.fill("#rf-title", "Photonic lab-on-chip for sepsis testing")
        .await;
    app.fill("#rf-family", "PF-SEPSIS").await;
    app.fill("#rf-jurisdiction", "pct").await;
    app.fill("#rf-filingDate", &filed.format("%d-%m-%Y").to_string())
        .await;
    app.fill("#rf-priorityDate", &priority.format("%d-%m-%Y").to_string())
        .await;
    // Without a status the form says what is missing and saves nothing.
    app.click("#save-record").await;
    app.wait_text("#rf-status-error", |s| s.contains("required"))
        .await;
    app.select("#rf-status", "pending").await;
    app.click("#save-record").await;
    let fields = app.wait_text("#record-fields", |s| s.contains("PCT")).await;
    assert!(fields.contains("PF-SEPSIS"), "{fields}");

    app.click("#nav-week").await;
    let deadlines = app
        .wait_text("#deadlines", |s| s.contains("Photonic lab-on-chip"))
        .await;
    let due = (priority.checked_add_months(Months::new(30)).unwrap())
        .format("%d/%m/%Y")
        .to_string();
    assert!(
        deadlines.contains("PCT national phase (30 months)") && deadlines.contains(&due),
        "{deadlines}"
    );
    app.screenshot("week-deadlines").await;
    // The deadline opens its patent.
    app.click("#deadlines .action-link").await;
    app.wait_text("#record-title", |s| s.contains("Photonic lab-on-chip"))
        .await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_consortium_is_found_by_a_note_and_deleting_it_asks_first() {
    let driver = Driver::start();
    let app = driver.launch().await;
    app.find("#welcome-title").await;
    app.click("#nav-consortium").await;
    app.click("#new-record").await;
    app.fill("#rf-name", "Rare-earth recycling NL").await;
    app.fill("#rf-programme", "Horizon Europe").await;
    app.fill("#rf-startYear", "2025").await;
    app.click("#save-record").await;
    app.wait_text("#record-title", |s| s == "Rare-earth recycling NL")
        .await;

    app.fill(
        "#note-text",
        "Coordinator wants a magnetocaloric work package.",
    )
    .await;
    app.click("#add-note").await;
    app.wait_text("#timeline", |s| s.contains("magnetocaloric"))
        .await;

    // A signed agreement kept with the consortium: listed with its size, in the timeline.
    let file = std::env::temp_dir().join("Consortium agreement signed.pdf");
    std::fs::write(&file, b"%PDF-1.7 signed by all partners").unwrap();
    app.find("#attachment-input")
        .await
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    let files = app
        .wait_text("#attachments", |s| {
            s.contains("Consortium agreement signed.pdf")
        })
        .await;
    assert!(files.contains("1 kB"), "{files}");
    app.wait_text("#timeline", |s| {
        s.contains("Consortium agreement signed.pdf")
    })
    .await;

    // A partner contribution, added from the consortium, belongs to it.
    app.click(".add-part[data-kind='contribution']").await;
    app.wait_text("#record-title", |s| s.contains("New")).await;
    app.fill("#rf-role", "University partner").await;
    app.select("#rf-partnerKind", "researchOrganisation").await;
    app.fill("#rf-year", "2026").await;
    app.click("#save-record").await;
    // No partner picked: the form names the field and nothing is saved.
    app.wait_text("#rf-organisationId-error", |s| s.contains("required"))
        .await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_office_links_consortia_partners_and_agreements_and_deletion_asks_first() {
    let driver = Driver::start();
    let app = driver.launch().await;
    app.click("#load-demo").await;
    app.find("#notice").await;
    app.click("#open-search").await;
    app.fill("#global-search", "pyroly").await;
    let group = app
        .wait_text("#global-results [data-kind='consortium']", |s| {
            s.contains("Circular Plastics Lab")
        })
        .await;
    assert!(group.contains("pyrolysis"), "{group}");
    app.click("#global-results [data-kind='consortium'] .palette-hit")
        .await;
    app.wait_text("#record-title", |s| s == "Circular Plastics Lab")
        .await;
    let links = app
        .wait_text("#record-links", |s| s.contains("Partner contributions"))
        .await;
    assert!(
        links.contains("Consortium agreement Circular Plastics Lab"),
        "{links}"
    );
    let toeslag = app.wait_text("#toeslag", |s| s.contains("€")).await;
    assert!(toeslag.contains("Toeslag"), "{toeslag}");
    app.screenshot("consortium").await;

    app.click("#delete-record").await;
    let dialog = app
        .wait_text("#delete-dialog", |s| s.contains("Delete"))
        .await;
    assert!(
        dialog.contains("Consortium agreement Circular Plastics Lab"),
        "{dialog}"
    );
    app.click("#confirm-delete").await;
    app.wait_text("#records-title", |s| s == "PPS consortia")
        .await;
    let rows = app.wait_text("#records-table", |s| !s.is_empty()).await;
    assert!(!rows.contains("Circular Plastics Lab"), "{rows}");
    // The agreement stays, its link cleared.
    app.click("#nav-agreement").await;
    app.fill("#records-search", "Circular Plastics").await;
    app.wait_text("#records-count", |s| s.starts_with("1 "))
        .await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_organisation_lists_its_deals_and_is_kept_while_they_name_it() {
    let driver = Driver::start();
    let app = driver.launch().await;
    app.click("#load-demo").await;
    app.find("#notice").await;
    app.click("#nav-organisation").await;
    app.fill("#records-search", "Rhine Valley").await;
    app.wait_text("#records-table tbody tr[data-index='0']", |s| {
        s.contains("Rhine Valley Pharma")
    })
    .await;
    app.find("#records-table tbody tr[data-index='0']")
        .await
        .send_keys("\u{e007}")
        .await
        .unwrap();
    // Its deals are listed with what points to it, and each opens.
    let links = app
        .wait_text("#record-links", |s| s.contains("Deals (3)"))
        .await;
    app.screenshot("organisation-deals").await;
    assert!(links.contains("Deals (3)"), "{links}");

    // Deleting it is refused while deals name it; nothing is deleted.
    app.click("#delete-record").await;
    let dialog = app
        .wait_text("#delete-dialog", |s| s.contains("cannot be without"))
        .await;
    assert!(
        app.text("#confirm-delete").await.is_none(),
        "no way to confirm: {dialog}"
    );
    // Each deal in the dialog opens.
    app.click("#delete-dialog button[data-kind='deal']").await;
    app.wait_text("#deal-form", |s| !s.is_empty()).await;
    app.quit().await;
}

/// Runs `script` in the page and returns its result as a number.
async fn number(app: &crate::harness::App, script: &str) -> i64 {
    app.c
        .execute(script, vec![])
        .await
        .unwrap()
        .as_i64()
        .unwrap_or(-1)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_record_table_draws_only_the_rows_in_view_and_fetches_pages_as_it_scrolls() {
    let driver = Driver::start();
    {
        let mut store = kto_store::Store::open(&driver.db_path()).unwrap();
        let today = Local::now().date_naive();
        let office = kto_core::demo::synthetic(7, today, 5_000);
        store.load_demo(&office, today, "e2e").unwrap();
    }
    let app = driver.launch().await;
    app.click("#nav-patent").await;
    let count = app
        .wait_text("#records-count", |s| s.ends_with(" records"))
        .await;
    let total: i64 = count
        .trim_end_matches(" records")
        .replace(',', "")
        .parse()
        .unwrap();
    assert!(total > 300, "too few patents to page through: {count}");

    // Only the rows in view are in the page, however many there are.
    app.wait_text("#records-table tbody tr[data-index='0']", |s| {
        !s.contains("Loading")
    })
    .await;
    let drawn = number(
        &app,
        "return document.querySelectorAll('#records-table tbody tr[data-index]').length;",
    )
    .await;
    assert!((1..80).contains(&drawn), "{drawn} rows drawn of {total}");

    // Scrolled to the middle, the rows there arrive as their page is fetched.
    app.c
        .execute(
            "const s = document.querySelector('.table-scroll'); s.scrollTop = s.scrollHeight / 2;",
            vec![],
        )
        .await
        .unwrap();
    let middle = total / 2;
    app.wait_text(&format!("#records-table tr[data-index='{middle}']"), |s| {
        !s.is_empty() && !s.contains("Loading")
    })
    .await;

    // End and Home move the focus to the last and the first row, each loaded.
    app.find(&format!("#records-table tr[data-index='{middle}']"))
        .await
        .send_keys(&Key::End.to_string())
        .await
        .unwrap();
    let last = total - 1;
    let t = std::time::Instant::now();
    while number(
        &app,
        "return Number(document.activeElement?.dataset?.index ?? -1);",
    )
    .await
        != last
    {
        assert!(t.elapsed().as_secs() < 15, "End never reached row {last}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    app.wait_text(&format!("#records-table tr[data-index='{last}']"), |s| {
        !s.is_empty() && !s.contains("Loading")
    })
    .await;
    app.screenshot("records-table-end").await;
    app.find(&format!("#records-table tr[data-index='{last}']"))
        .await
        .send_keys(&Key::Home.to_string())
        .await
        .unwrap();
    let t = std::time::Instant::now();
    while number(
        &app,
        "return Number(document.activeElement?.dataset?.index ?? -1);",
    )
    .await
        != 0
    {
        assert!(
            t.elapsed().as_secs() < 15,
            "Home never reached the first row"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let drawn = number(
        &app,
        "return document.querySelectorAll('#records-table tbody tr[data-index]').length;",
    )
    .await;
    assert!(
        (1..80).contains(&drawn),
        "{drawn} rows drawn after scrolling"
    );

    // ↓ then Enter opens the second patent.
    let second = app
        .wait_text("#records-table tr[data-index='1'] td:first-child", |s| {
            !s.is_empty() && !s.contains("Loading")
        })
        .await;
    app.find("#records-table tr[data-index='0']")
        .await
        .send_keys(&(Key::Down + "\u{e007}"))
        .await
        .unwrap();
    app.wait_text("#record-title", |s| s == second).await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn in_dutch_bad_input_is_named_beside_its_field_and_a_needed_partner_is_not_deleted() {
    let driver = Driver::start();
    let app = driver.launch().await;
    app.click("#load-demo").await;
    app.find("#notice").await;
    app.click("#lang-nl").await;

    // An income with a negative amount and a word for its date: each field says what is
    // wrong in Dutch, and nothing reaches the backend as an unexpected error.
    app.click("#nav-income").await;
    app.wait_text("#records-title", |s| s == "Inkomsten").await;
    app.click("#new-record").await;
    app.fill("#rf-description", "Royalty Q3").await;
    app.select("#rf-kind", "royalty").await;
    app.fill("#rf-receivedDate", "gisteren").await;
    app.fill("#rf-amount", "-1.250,00").await;
    app.click("#save-record").await;
    app.wait_text("#rf-amount-error", |s| {
        s == "Vul een bedrag van nul of meer in."
    })
    .await;
    app.wait_text("#rf-receivedDate-error", |s| s.contains("31-12-2026"))
        .await;
    app.wait_text("#record-form-errors", |s| s.contains("niets opgeslagen"))
        .await;
    app.fill("#rf-amount", "veel").await;
    app.click("#save-record").await;
    app.wait_text("#rf-amount-error", |s| s.contains("1.234,56"))
        .await;
    // A year in the future where the domain forbids it is checked by the backend.
    let next_year = Local::now().date_naive() + chrono::Days::new(400);
    app.fill(
        "#rf-receivedDate",
        &next_year.format("%d-%m-%Y").to_string(),
    )
    .await;
    app.fill("#rf-amount", "1.250,00").await;
    app.click("#save-record").await;
    app.wait_text("#rf-receivedDate-error", |s| s.contains("toekomst"))
        .await;
    assert!(
        app.text("#error-banner").await.is_none(),
        "{:?}",
        app.text("#error-banner").await
    );
    app.screenshot("income-bad-input-nl").await;

    // Text in a consortium's year field: named beside the field, not a crash.
    app.click("#nav-consortium").await;
    app.click("#new-record").await;
    app.fill("#rf-name", "Waterstof Noord").await;
    app.fill("#rf-startYear", "twintig").await;
    app.click("#save-record").await;
    app.wait_text("#rf-startYear-error", |s| s.contains("2026"))
        .await;
    assert!(app.text("#error-banner").await.is_none());

    // An organisation a partner contribution needs is not deleted; the dialog names the
    // contribution and offers no way to go on.
    app.click("#nav-organisation").await;
    app.fill("#records-search", "Atlantic Agritech").await;
    app.wait_text("#records-count", |s| s.starts_with("1 "))
        .await;
    app.find("#records-table tbody tr[data-index='0']")
        .await
        .send_keys("\u{e007}")
        .await
        .unwrap();
    app.wait_text("#record-title", |s| s == "Atlantic Agritech Ltd")
        .await;
    app.click("#delete-record").await;
    let dialog = app
        .wait_text("#delete-dialog", |s| s.contains("niet zonder"))
        .await;
    assert!(
        dialog.contains("Partnerbijdrage: Industry partner"),
        "{dialog}"
    );
    assert!(app.text("#confirm-delete").await.is_none(), "{dialog}");
    app.screenshot("delete-needed-nl").await;
    // The dialog holds the keys until it is closed; Esc closes it.
    app.keys(&fantoccini::key::Key::Escape.to_string()).await;

    // A person named as an inventor: the dialog lists the disclosures that name her and
    // offers no way to delete her.
    app.click("#nav-person").await;
    app.fill("#records-search", "Anouk de Vries").await;
    app.wait_text("#records-count", |s| s.starts_with("1 "))
        .await;
    app.find("#records-table tbody tr[data-index='0']")
        .await
        .send_keys("\u{e007}")
        .await
        .unwrap();
    app.wait_text("#record-title", |s| s == "Anouk de Vries")
        .await;
    app.click("#delete-record").await;
    let dialog = app
        .wait_text("#delete-dialog", |s| s.contains("niet zonder"))
        .await;
    assert!(
        dialog.contains("D-20"),
        "her disclosures are listed: {dialog}"
    );
    assert!(app.text("#confirm-delete").await.is_none(), "{dialog}");
    app.wait_text("#record-title", |s| s == "Anouk de Vries")
        .await;
    app.quit().await;
}
