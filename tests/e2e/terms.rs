//! New KT talent open a lesson in Learn, change the university's equity in the sandbox and
//! see the ownership after two funding rounds change; the sandbox writes nothing. A
//! business developer checks a spin-off's proposed terms against USIT for software.

use crate::harness::Driver;

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
