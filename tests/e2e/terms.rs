//! New KT talent open a lesson in Learn, change the university's equity in the sandbox and
//! see the ownership after two funding rounds change; the sandbox writes nothing. A
//! business developer checks a spin-off's proposed terms against USIT for software, against
//! the office's own reference set (a copy of USIT with a tighter equity range), and enters a
//! spin-off's cap table with a funding round and exports it in the Open Cap Format.

use crate::harness::{App, Driver};

/// Opens the demo spin-off `name` from the spin-offs list.
pub(crate) async fn open_spin_off(app: &App, name: &str) {
    app.click("#nav-spinOff").await;
    let word = name.split_whitespace().next().unwrap_or(name);
    app.fill("#records-search", word).await;
    app.wait_text("#records-table tbody", |s| {
        s.contains(word) && s.lines().filter(|l| !l.trim().is_empty()).count() == 1
    })
    .await;
    app.click("#records-table tbody td").await;
    app.wait_text("#record-title", |s| s == name).await;
}

/// Waits until the webview has painted twice, so that a screenshot shows the current page.
async fn painted(app: &App) {
    app.c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            vec![],
        )
        .await
        .unwrap();
}

/// Scrolls `css` to the middle of the window.
async fn scroll_to(app: &App, css: &str) {
    app.c
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});",
            vec![serde_json::json!(css)],
        )
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lesson_sandbox_recomputes_the_table_after_two_rounds_when_the_university_stake_changes()
{
    let driver = Driver::start();
    let app = driver.launch().await;
    app.find("#welcome-title").await;
    app.click("#nav-learn").await;
    app.wait_text("#learn-title", |s| s.contains("Learn")).await;

    app.click("#lesson-equity").await;
    app.wait_text("#lesson-title", |s| s.contains("University equity"))
        .await;
    // Founding 10 %, then seed and Series A (each with a 10 % pool top-up).
    let founding = app
        .wait_text("#own-university-0", |s| s.contains('%'))
        .await;
    assert_eq!(founding, "10%");
    let before = app
        .wait_text("#own-university-2", |s| s.contains('%'))
        .await;

    app.fill("#sandbox-university", "20").await;
    app.wait_text("#own-university-0", |s| s == "20%").await;
    let after = app
        .wait_text("#own-university-2", |s| s.contains('%') && s != before)
        .await;
    let pct = |s: &str| s.trim_end_matches('%').parse::<f64>().unwrap();
    assert!(
        pct(&after) > pct(&before) && pct(&after) < 20.0,
        "after two rounds: {before} -> {after}"
    );
    // The founders hold the rest at founding.
    app.wait_text("#sandbox-founders", |s| s.contains("70%"))
        .await;
    // A decimal stake is kept as typed, and the tables follow it.
    app.fill("#sandbox-university", "12.5").await;
    app.wait_text("#own-university-0", |s| s == "12.5%").await;
    app.wait_text("#sandbox-founders", |s| s.contains("77.5%"))
        .await;
    app.fill("#sandbox-university", "20").await;
    app.wait_text("#own-university-0", |s| s == "20%").await;

    // The self-check explains its answer, and the chart is drawn.
    app.click("#answer-1").await;
    app.wait_text("#check-feedback", |s| s.starts_with("Correct."))
        .await;
    app.find("#sandbox-chart svg rect").await;
    let scroll = "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});";
    app.c
        .execute(scroll, vec![serde_json::json!("#sandbox-table")])
        .await
        .unwrap();
    app.screenshot("learn-sandbox").await;

    app.c
        .execute(scroll, vec![serde_json::json!("#learn-title")])
        .await
        .unwrap();
    app.click("#learn-tab-glossary").await;
    app.wait_text("#gloss-valorisation", |s| {
        s.contains("Valorisatie") && s.contains("Valorisation")
    })
    .await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_spin_off_checked_against_usit_for_software_flags_its_out_of_range_terms() {
    let driver = Driver::start();
    let app = driver.launch().await;
    app.click("#load-demo").await;
    app.find("#notice").await;
    app.click("#nav-spinOff").await;
    app.fill("#records-search", "HealCoat").await;
    app.wait_text("#records-table tbody", |s| {
        s.contains("HealCoat") && !s.contains("Lumina")
    })
    .await;
    app.click("#records-table tbody td").await;
    app.wait_text("#record-title", |s| s == "HealCoat B.V.")
        .await;

    // Proposed terms: 20 % equity and a 4 % royalty, signed within 60 days.
    app.fill("#terms-equity", "20").await;
    app.fill("#terms-royalty", "4").await;
    app.fill("#terms-days", "60").await;
    app.click("#terms-save").await;
    app.find("#terms-notice").await;
    app.select("#terms-set", "usit-software-2024").await;
    app.click("#terms-check").await;
    let equity = app
        .wait_text("#check-universityEquity", |s| s.contains("range"))
        .await;
    assert!(equity.contains("Outside range"), "{equity}");
    let royalty = app
        .wait_text("#check-royaltyRate", |s| s.contains("range"))
        .await;
    assert!(royalty.contains("Outside range"), "{royalty}");
    let days = app
        .wait_text("#check-daysToSigning", |s| s.contains("range"))
        .await;
    assert!(days.contains("Within range"), "{days}");
    let table = app
        .wait_text("#spin-off-terms", |s| s.contains("USIT"))
        .await;
    assert!(
        table.contains("University Spin-out Investment Terms"),
        "{table}"
    );
    app.screenshot("terms-check").await;

    // The saved terms are in the spin-off's history.
    let timeline = app
        .wait_text("#timeline", |s| s.contains("university equity"))
        .await;
    assert!(timeline.contains("2000"), "{timeline}");
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_office_set_copied_from_usit_with_a_tighter_equity_range_flags_a_stake_usit_accepts() {
    let driver = Driver::start();
    let app = driver.launch().await;
    app.click("#load-demo").await;
    app.find("#notice").await;
    app.click("#nav-learn").await;
    app.click("#learn-tab-sets").await;
    app.wait_text("#shipped-sets", |s| {
        s.contains("USIT guide and UK spin-out review")
    })
    .await;
    app.wait_text("#own-sets-empty", |s| s.contains("no sets of its own"))
        .await;

    // A copy of USIT starts from its ranges: 10-25 % for life and physical sciences.
    app.click("#set-copy-usit-2023").await;
    app.wait_text("#set-editor-title", |s| s.contains("New reference set"))
        .await;
    let max = app.find("#range-0-max").await;
    assert_eq!(max.prop("value").await.unwrap().as_deref(), Some("25"));

    // Bad input is named next to its field and nothing is saved.
    app.fill("#set-name", " ").await;
    app.fill("#range-0-min", "15").await;
    app.fill("#range-0-max", "10").await;
    app.fill("#range-1-max", "110").await;
    app.click("#set-save").await;
    app.wait_text("#set-name-error", |s| s.contains("Name: enter a value"))
        .await;
    app.wait_text("#range-0-max-error", |s| {
        s.contains("University equity") && s.contains("the minimum may not be above the maximum")
    })
    .await;
    app.wait_text("#range-1-max-error", |s| s.contains("between 0 and 100"))
        .await;
    app.wait_text("#set-invalid", |s| s.contains("Nothing was saved"))
        .await;
    scroll_to(&app, "#set-ranges").await;
    painted(&app).await;
    app.screenshot("office-term-set-errors").await;
    app.click("#set-cancel").await;
    app.wait_text("#own-sets-empty", |s| s.contains("no sets of its own"))
        .await;

    // Now correctly: the holding's policy allows 10-15 % for IP-heavy companies.
    app.click("#set-copy-usit-2023").await;
    app.fill("#set-name", "Holding policy 2026").await;
    app.fill(
        "#set-source",
        "Board decision of the university holding, March 2026",
    )
    .await;
    app.fill("#set-date", "2026-03").await;
    app.fill("#range-0-max", "15").await;
    app.click("#set-save").await;
    app.wait_text("#sets-notice", |s| {
        s.contains("Saved “Holding policy 2026”")
    })
    .await;
    let own = app
        .wait_text("#own-sets", |s| s.contains("Holding policy 2026"))
        .await;
    assert!(
        own.contains("2026-03") && own.contains("Board decision"),
        "{own}"
    );
    scroll_to(&app, "#own-sets").await;
    painted(&app).await;
    app.screenshot("office-term-set").await;

    // 20 % university equity fits USIT (10-25 %) but not the office's 10-15 %.
    open_spin_off(&app, "HealCoat B.V.").await;
    app.fill("#terms-equity", "20").await;
    app.click("#terms-save").await;
    app.find("#terms-notice").await;
    app.select("#terms-set", "usit-2023").await;
    app.click("#terms-check").await;
    let usit = app
        .wait_text("#check-universityEquity", |s| s.contains("range"))
        .await;
    assert!(usit.contains("Within range"), "{usit}");
    // The set choice lists the built-in sets and, in a group of its own, the office's.
    let groups = app
        .c
        .execute(
            "return Array.from(document.querySelectorAll('#terms-set optgroup'), g =>
                 g.label + ': ' + Array.from(g.children, o => o.value).join(' '));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        groups,
        serde_json::json!([
            "Built-in sets: unl-ip-deal-terms-2025 usit-2023 usit-software-2024 sprind-2022 eth-zurich-2025 us-practice",
            "This office’s sets: office-holding-policy-2026"
        ])
    );
    app.select("#terms-set", "office-holding-policy-2026").await;
    app.click("#terms-check").await;
    let office = app
        .wait_text("#check-universityEquity", |s| s.contains("Outside range"))
        .await;
    assert!(office.contains("Above the maximum of 15%"), "{office}");
    app.wait_text("#spin-off-terms", |s| {
        s.contains("Source: Board decision of the university holding, March 2026 (2026-03)")
    })
    .await;

    // Deleting the set asks first; afterwards it is gone from the list.
    app.click("#nav-learn").await;
    app.click("#learn-tab-sets").await;
    app.click("#set-delete-office-holding-policy-2026").await;
    app.wait_text("#own-sets", |s| s.contains("Delete “Holding policy 2026”?"))
        .await;
    app.click("#set-delete-confirm").await;
    app.wait_text("#sets-notice", |s| s.contains("Deleted"))
        .await;
    app.find("#own-sets-empty").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cap_table_with_a_seed_round_is_saved_on_a_spin_off_and_exported_in_the_open_cap_format()
{
    let driver = Driver::start();
    let app = driver.launch().await;
    app.click("#load-demo").await;
    app.find("#notice").await;
    open_spin_off(&app, "DikeSense B.V.").await;

    // Without a cap table there is nothing to export.
    app.find("#terms-ocf").await;
    let disabled = "return document.querySelector('#terms-ocf').disabled;";
    assert_eq!(
        app.c.execute(disabled, vec![]).await.unwrap(),
        serde_json::json!(true)
    );
    app.click("#cap-start").await;
    app.fill("#holder-0-shares", "800000.5").await;
    app.fill("#holder-1-shares", "100000").await;
    app.fill("#holder-2-shares", "100000").await;
    app.click("#terms-save").await;
    app.wait_text("#holder-0-shares-error", |s| {
        s.contains("Shares at founding") && s.contains("whole numbers")
    })
    .await;
    app.wait_text("#terms-invalid", |s| s.contains("Nothing was saved"))
        .await;
    app.fill("#holder-0-shares", "800000").await;

    // Seed: € 2 m pre-money, € 0.5 m from a new investor, pool topped up to 10 %.
    app.click("#cap-add-round").await;
    app.fill("#round-0-name", "Seed").await;
    app.fill("#round-0-date", "01/03/2027").await;
    app.fill("#round-0-pre", "2000000").await;
    app.fill("#round-0-pool", "10").await;
    app.select("#round-0-anti", "broadBasedWeightedAverage")
        .await;
    app.fill("#round-0-inv-0-name", "Delta Seed Fund").await;
    app.fill("#round-0-inv-0-amount", "500000").await;

    // By hand: pool top-up T = ceil((0.1 × 2.5 m × 1 m − 2 m × 100 000) / (2 m − 0.1 × 2.5 m))
    // = 28 572; price = 2 m / 1 028 572; seed shares = floor(0.5 m × 1 028 572 / 2 m)
    // = 257 143; of 1 285 715 shares the university holds 100 000 = 7.78 %.
    app.wait_text("#cap-own-university-0", |s| s == "10%").await;
    app.wait_text("#cap-own-university-1", |s| s == "7.78%")
        .await;
    app.wait_text("#cap-own-delta-seed-fund-1", |s| s == "20%")
        .await;
    app.wait_text("#cap-own-option-pool-1", |s| s == "10%")
        .await;
    app.wait_text("#cap-own-founders-1", |s| s == "62.22%")
        .await;
    app.find("#cap-chart svg rect").await;

    app.click("#terms-save").await;
    app.wait_text("#terms-notice", |s| s.contains("Terms saved"))
        .await;
    assert!(app.text("#terms-invalid").await.is_none());
    assert_eq!(
        app.c.execute(disabled, vec![]).await.unwrap(),
        serde_json::json!(false)
    );
    scroll_to(&app, "#cap-outcome").await;
    painted(&app).await;
    app.screenshot("cap-table").await;

    app.click("#terms-ocf").await;
    let notice = app
        .wait_text("#terms-notice", |s| s.contains("Written to"))
        .await;
    let path = driver
        .data_dir
        .path()
        .join("exports")
        .join("dikesense-b-v-cap-table.ocf.zip");
    assert!(
        notice.contains("dikesense-b-v-cap-table.ocf.zip"),
        "{notice}"
    );
    let mut package =
        zip::ZipArchive::new(std::io::Cursor::new(std::fs::read(&path).unwrap())).unwrap();
    let mut read = |name: &str| -> serde_json::Value {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut package.by_name(name).unwrap(), &mut text).unwrap();
        serde_json::from_str(&text).unwrap()
    };
    let manifest = read("Manifest.ocf.json");
    assert_eq!(manifest["file_type"], "OCF_MANIFEST_FILE");
    assert_eq!(manifest["issuer"]["legal_name"], "DikeSense B.V.");
    // The company was incorporated years ago (the demo's dates follow today), not today.
    assert_ne!(manifest["issuer"]["formation_date"], manifest["as_of"]);
    assert!(
        manifest["issuer"]["formation_date"].as_str().unwrap()
            < manifest["as_of"].as_str().unwrap()
    );
    let doc = serde_json::json!({
        "stakeholders_file": read("Stakeholders.ocf.json"),
        "transactions_file": read("Transactions.ocf.json"),
        "stock_classes_file": read("StockClasses.ocf.json"),
    });
    let items = |file: &str| doc[file]["items"].as_array().unwrap().clone();
    let names: Vec<String> = items("stakeholders_file")
        .iter()
        .map(|s| s["name"]["legal_name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["Founders", "University", "Delta Seed Fund"]);
    let transactions = items("transactions_file");
    let seed = transactions
        .iter()
        .find(|t| t["stakeholder_id"] == "sh-delta-seed-fund")
        .expect("the seed issuance");
    assert_eq!(seed["quantity"], "257143");
    assert_eq!(seed["date"], "2027-03-01");
    assert_eq!(seed["stock_class_id"], "pref-1");
    let top_up = transactions
        .iter()
        .find(|t| t["object_type"] == "TX_STOCK_PLAN_POOL_ADJUSTMENT")
        .expect("the pool top-up");
    assert_eq!(top_up["shares_reserved"], "128572");
    let classes = items("stock_classes_file");
    assert!(classes.iter().any(|c| c["name"] == "Seed Preferred"));

    // The cap table is kept with the spin-off: it is there when the record is opened again.
    open_spin_off(&app, "HealCoat B.V.").await;
    open_spin_off(&app, "DikeSense B.V.").await;
    let shares = app.find("#holder-0-shares").await;
    assert_eq!(
        shares.prop("value").await.unwrap().as_deref(),
        Some("800000")
    );
    app.wait_text("#cap-own-university-1", |s| s == "7.78%")
        .await;
    // Saving it entered the spin-off's history as its holders and rounds.
    app.wait_text("#timeline", |s| {
        s.contains("cap table and funding rounds")
            && s.contains("Founders: 800000, University: 100000, Option pool: 100000; Seed")
    })
    .await;

    // In Dutch the editor speaks Dutch, percentages take a decimal comma, and a bad
    // pre-money is named in Dutch.
    app.click("#lang-nl").await;
    app.wait_text("#cap-title", |s| s == "Cap table en financieringsrondes")
        .await;
    app.wait_text("#cap-holders thead", |s| {
        s.contains("Aandelen bij oprichting")
    })
    .await;
    app.wait_text("#cap-own-university-1", |s| {
        s.replace(char::is_whitespace, "") == "7,78%"
    })
    .await;
    app.fill("#round-0-pre", "0").await;
    app.click("#terms-save").await;
    app.wait_text("#round-0-pre-error", |s| {
        s == "Pre-moneywaardering (€) moet meer dan € 0 zijn."
    })
    .await;
    scroll_to(&app, "#round-0").await;
    painted(&app).await;
    app.screenshot("cap-table-nl").await;
    app.quit().await;
}

/// The digits of a shown amount, without currency sign, separators or cents.
fn whole_euros(text: &str) -> String {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if text.contains(',') && text.rsplit(',').next().is_some_and(|d| d.len() == 2)
        || text.contains('.') && text.rsplit('.').next().is_some_and(|d| d.len() == 2)
    {
        digits[..digits.len().saturating_sub(2)].to_owned()
    } else {
        digits
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_lesson_on_stacked_preferences_runs_its_worked_example_and_shows_what_participation_costs(
) {
    let driver = Driver::start();
    let app = driver.launch().await;
    app.find("#welcome-title").await;
    app.click("#nav-learn").await;
    app.click("#lesson-preferences").await;
    app.wait_text("#lesson-title", |s| s.contains("stacked preferences"))
        .await;
    app.click("#lesson-try").await;

    // Exit € 8 m: Series A (senior, participating) € 3 m + € 1.5 m, the seed its 2× € 2 m,
    // € 1.50 a share for the rest: the university's 100 000 shares get € 150 000.
    app.wait_text("#payout-university", |s| whole_euros(s) == "150000")
        .await;
    assert_eq!(
        whole_euros(&app.wait_text("#payout-seriesA", |s| !s.is_empty()).await),
        "4500000"
    );
    assert_eq!(
        whole_euros(&app.wait_text("#payout-seed", |s| !s.is_empty()).await),
        "2000000"
    );
    app.wait_text("#series-choice-seed", |s| s == "Took the preference")
        .await;
    app.wait_text("#series-choice-seriesA", |s| {
        s == "Preference and participation"
    })
    .await;

    // Without participation the seed converts and the university gets € 250 000.
    app.select("#sandbox-seriesA-participation", "nonParticipating")
        .await;
    app.wait_text("#payout-university", |s| whole_euros(s) == "250000")
        .await;
    app.wait_text("#series-choice-seed", |s| s == "Converted to common")
        .await;
    scroll_to(&app, "#sandbox-series").await;
    painted(&app).await;
    app.screenshot("learn-preferences").await;
    app.quit().await;
}
