//! Every keystroke lands where the user looks. The search palette and the dialogs take the
//! focus each time they open, keep Tab inside, close on Esc and give the focus back, so
//! nothing typed reaches the form behind them. Number fields keep what is typed until the
//! user leaves them, in English and in Dutch, so `2,5` is saved as 2.5 %, never as 25 %.

use fantoccini::key::Key;

use crate::harness::{App, Driver};
use crate::terms::open_spin_off;

/// True when the focused element lies inside the element matching `css`.
async fn focus_inside(app: &App, css: &str) -> bool {
    app.c
        .execute(
            "const a = document.activeElement; return !!(a && a.closest(arguments[0]));",
            vec![serde_json::json!(css)],
        )
        .await
        .unwrap()
        .as_bool()
        .unwrap_or(false)
}

/// Waits until no element matches `css`.
async fn gone(app: &App, css: &str) {
    let t = std::time::Instant::now();
    while app
        .c
        .execute(
            "return !!document.querySelector(arguments[0]);",
            vec![serde_json::json!(css)],
        )
        .await
        .unwrap()
        .as_bool()
        .unwrap_or(true)
    {
        assert!(t.elapsed().as_secs() < 10, "'{css}' never went away");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_search_palette_and_dialogs_take_the_keys_and_the_form_behind_them_stays_unchanged() {
    let driver = Driver::start();
    let app = driver.launch().await;

    // First start asks who the user is; the name field has the focus.
    app.wait_text("#welcome-title", |s| !s.is_empty()).await;
    assert_eq!(app.focused_id().await, "welcome-name");
    app.fill("#welcome-name", "Sanne Visser").await;
    app.click("#start-empty").await;

    // The new disclosure form: a title typed, then Ctrl+K three times in a row.
    let title = "Quantum-dot label";
    app.fill("#f-title", title).await;
    for round in 0..3 {
        app.click("#f-title").await;
        app.keys(&(Key::Control + "k")).await;
        app.find("#global-search").await;
        assert_eq!(
            app.focused_id().await,
            "global-search",
            "round {round}: the palette does not have the focus"
        );
        app.keys("nitrate").await;
        assert_eq!(app.value("#global-search").await, "nitrate");
        if round == 1 {
            // Tab and Shift+Tab walk inside the palette, never to the form behind it.
            for _ in 0..6 {
                app.keys(&Key::Tab.to_string()).await;
                assert!(focus_inside(&app, ".palette").await, "Tab left the palette");
            }
            app.keys(&(Key::Shift + &Key::Tab)).await;
            assert!(
                focus_inside(&app, ".palette").await,
                "Shift+Tab left the palette"
            );
        }
        if round == 2 {
            // Enter with nothing found opens nothing and saves nothing.
            app.keys(&Key::Enter.to_string()).await;
        }
        app.keys(&Key::Escape.to_string()).await;
        gone(&app, "#global-search").await;
        assert_eq!(
            app.focused_id().await,
            "f-title",
            "round {round}: the focus did not come back to the form"
        );
        assert_eq!(app.value("#f-title").await, title, "round {round}");
    }
    // The form was neither changed nor submitted (a submitted form with only a title marks
    // its missing fields).
    assert!(
        app.text(".field-error").await.is_none(),
        "the form was submitted"
    );
    assert!(
        app.text(".banner-error").await.is_none(),
        "the form was submitted"
    );

    // The lost-reason dialog on a board: focus in its reason, Tab stays in it, Ctrl+K does
    // not open the palette behind it, Esc closes it and the card keeps its stage.
    app.click("#nav-boards").await;
    app.click("#new-deal").await;
    app.fill("#d-title", "Licence for the nitrate sensor").await;
    app.click("#save-deal").await;
    for stage in ["interest", "negotiation", "term_sheet", "signed"] {
        app.click("[data-card] .move-next").await;
        app.wait_text(&format!("[data-stage='licensing:{stage}']"), |s| {
            s.contains("nitrate sensor")
        })
        .await;
    }
    app.click("[data-card] .move-next").await;
    app.find("#lost-reason").await;
    assert_eq!(app.focused_id().await, "lost-reason");
    app.keys("Too expensive").await;
    app.keys(&(Key::Control + "k")).await;
    assert!(
        app.text("#global-search").await.is_none(),
        "Ctrl+K opened the palette behind the dialog"
    );
    for _ in 0..5 {
        app.keys(&Key::Tab.to_string()).await;
        assert!(focus_inside(&app, ".modal").await, "Tab left the dialog");
    }
    app.keys(&Key::Escape.to_string()).await;
    gone(&app, "#lost-reason").await;
    assert!(
        focus_inside(&app, "[data-card]").await,
        "the focus did not come back to the card"
    );
    app.wait_text("[data-stage='licensing:signed']", |s| {
        s.contains("nitrate sensor")
    })
    .await;
    app.screenshot("focus-back-on-card").await;
    app.quit().await;
}

/// The separators of one language: decimal and thousands.
struct Seps {
    nl: bool,
}

impl Seps {
    /// `template` with `,` as the thousands and `.` as the decimal separator, in this language.
    fn n(&self, template: &str) -> String {
        if self.nl {
            template
                .chars()
                .map(|c| match c {
                    '.' => ',',
                    ',' => '.',
                    c => c,
                })
                .collect()
        } else {
            template.to_string()
        }
    }
    fn date(&self, d: &str) -> String {
        if self.nl {
            d.replace('/', "-")
        } else {
            d.to_string()
        }
    }
}

/// Types `text` (with this language's separators) into `css`, leaves the field with Tab and
/// checks it then shows `left`: the field kept what was typed and formatted it once left.
async fn typed(app: &App, s: &Seps, css: &str, text: &str, left: &str) {
    let (text, left) = (s.n(text), s.n(left));
    app.fill(css, &text).await;
    app.click(css).await;
    app.keys(&Key::Tab.to_string()).await;
    let t = std::time::Instant::now();
    loop {
        let v = app.value(css).await;
        if v == left {
            break;
        }
        assert!(
            t.elapsed().as_secs() < 10,
            "{css}: typed {text:?}, shows {v:?} after leaving it, expected {left:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Waits until the input `css` holds `want` (in this language's separators).
async fn holds(app: &App, s: &Seps, css: &str, want: &str) {
    let want = s.n(want);
    let t = std::time::Instant::now();
    loop {
        let v = app.value(css).await;
        if v == want {
            return;
        }
        assert!(
            t.elapsed().as_secs() < 10,
            "{css} holds {v:?}, expected {want:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn every_number_field_keeps_its_decimals(nl: bool) {
    let s = Seps { nl };
    let driver = Driver::start();
    let app = driver.launch().await;
    app.click("#load-demo").await;
    app.find("#notice").await;
    if nl {
        app.click("#lang-nl").await;
        app.wait_text("#nav-week", |t| t == "Mijn week").await;
    }

    // A spin-off's deal terms and cap table.
    open_spin_off(&app, "DikeSense B.V.").await;
    typed(&app, &s, "#terms-royalty", "2.75", "2.75").await;
    typed(&app, &s, "#terms-equity", "12.5", "12.5").await;
    typed(&app, &s, "#terms-sublicence", "15.25", "15.25").await;
    typed(&app, &s, "#terms-exit-fee", "0.5", "0.5").await;
    typed(&app, &s, "#terms-minimum", "12500.5", "12,500.50").await;
    app.click("#cap-start").await;
    typed(&app, &s, "#holder-0-shares", "800000", "800000").await;
    app.fill("#holder-1-shares", "100000").await;
    app.fill("#holder-2-shares", "100000").await;
    app.click("#cap-add-round").await;
    app.fill("#round-0-name", "Seed").await;
    app.fill("#round-0-date", &s.date("01/03/2027")).await;
    typed(&app, &s, "#round-0-pre", "2000000.5", "2,000,000.50").await;
    typed(&app, &s, "#round-0-pool", "12.5", "12.5").await;
    app.fill("#round-0-inv-0-name", "Delta Seed Fund").await;
    typed(&app, &s, "#round-0-inv-0-amount", "500000", "500,000").await;
    app.click("#terms-save").await;
    app.find("#terms-notice").await;

    // Saved as typed: reopened, every field reads back the same.
    app.click("#nav-week").await;
    open_spin_off(&app, "DikeSense B.V.").await;
    holds(&app, &s, "#terms-royalty", "2.75").await;
    holds(&app, &s, "#terms-equity", "12.5").await;
    holds(&app, &s, "#terms-sublicence", "15.25").await;
    holds(&app, &s, "#terms-exit-fee", "0.5").await;
    holds(&app, &s, "#terms-minimum", "12,500.50").await;
    holds(&app, &s, "#round-0-pre", "2,000,000.50").await;
    holds(&app, &s, "#round-0-pool", "12.5").await;

    // The term sheet prints 2.75 % (2,75 % in Dutch), not 275 % or 27.5 %.
    app.click("#terms-pdf").await;
    let notice = app.wait_text("#terms-notice", |t| t.contains(".pdf")).await;
    let start = notice.find('/').expect("the notice names the file");
    let end = notice.find(".pdf").expect("a PDF") + ".pdf".len();
    let path = &notice[start..end];
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", path, "-"])
        .output()
        .expect("pdftotext is installed by make test");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&s.n("2.75")), "{text}");
    // The cap table is on the term sheet: the seed round and who holds what after it.
    assert!(
        text.contains("Delta Seed Fund") && text.contains("Seed ("),
        "{text}"
    );
    assert!(
        !text.contains("275") && !text.contains(&s.n("27.5")),
        "{text}"
    );

    // A deal's value.
    app.click("#nav-boards").await;
    app.click("#new-deal").await;
    app.fill("#d-title", "Decimal licence").await;
    typed(&app, &s, "#d-value", "412500000.5", "412,500,000.50").await;
    app.click("#save-deal").await;
    let want = s.n("412,500,000.50");
    app.wait_text("[data-stage='licensing:marketing']", |t| t.contains(&want))
        .await;

    // An income record's amount (a field of the generic record form).
    app.click("#nav-income").await;
    app.click("#new-record").await;
    app.fill("#rf-description", "Milestone on first sale").await;
    app.select("#rf-kind", "milestone").await;
    app.fill("#rf-receivedDate", &s.date("01/02/2025")).await;
    typed(&app, &s, "#rf-amount", "1234.56", "1,234.56").await;
    app.click("#save-record").await;
    let want = s.n("1,234.56");
    app.wait_text("#record-fields", |t| t.contains(&want)).await;

    // The monitor's office inputs.
    app.click("#nav-monitor").await;
    app.find("#mon-res-exp").await;
    typed(&app, &s, "#mon-res-exp", "12500000.75", "12,500,000.75").await;
    typed(&app, &s, "#mon-res-fte", "1234.5", "1234.5").await;
    typed(&app, &s, "#mon-kto-fte", "12.25", "12.25").await;
    app.click("#save-inputs").await;
    let want = s.n("12.25");
    app.wait_text("#fig-IN-KTO-FTE", |t| t.contains(&want))
        .await;

    // A bound of an office reference set.
    app.click("#nav-learn").await;
    app.click("#learn-tab-sets").await;
    app.click("#set-new").await;
    typed(&app, &s, "#range-0-min", "2.5", "2.5").await;
    typed(&app, &s, "#range-0-max", "7.25", "7.25").await;

    app.screenshot(if nl { "numbers-nl" } else { "numbers-en" })
        .await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_number_field_keeps_decimals_typed_in_english() {
    every_number_field_keeps_its_decimals(false).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_number_field_keeps_decimals_typed_in_dutch() {
    every_number_field_keeps_its_decimals(true).await;
}

/// `getBoundingClientRect().bottom` of `css` and the window's inner height.
async fn bottom_and_height(app: &App, css: &str) -> (f64, f64) {
    let v = app
        .c
        .execute(
            "const r = document.querySelector(arguments[0]).getBoundingClientRect();
             return [r.bottom, window.innerHeight];",
            vec![serde_json::json!(css)],
        )
        .await
        .unwrap();
    (v[0].as_f64().unwrap(), v[1].as_f64().unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn at_the_smallest_window_settings_and_the_language_stay_in_view_and_the_window_never_scrolls(
) {
    let driver = Driver::start();
    let app = driver.launch().await;
    app.click("#load-demo").await;
    app.find("#notice").await;
    app.c.set_window_size(960, 600).await.unwrap();
    let t = std::time::Instant::now();
    while app
        .c
        .execute("return window.innerWidth;", vec![])
        .await
        .unwrap()
        .as_f64()
        .unwrap_or(0.0)
        > 980.0
    {
        assert!(t.elapsed().as_secs() < 10, "the window was not resized");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    for css in ["#nav-settings", "#lang-nl"] {
        let (bottom, height) = bottom_and_height(&app, css).await;
        assert!(
            bottom <= height,
            "{css} ends at {bottom} below the {height} px window"
        );
    }

    // A spin-off with a cap table: scrolling the sidebar or the page never moves the window.
    open_spin_off(&app, "DikeSense B.V.").await;
    app.click("#cap-start").await;
    let scrolled = "document.querySelector('.sidebar').scrollBy(0, 400);
        document.querySelector('.content').scrollBy(0, 4000);
        window.scrollBy(0, 400);
        return [document.scrollingElement.scrollTop,
                document.scrollingElement.scrollHeight - window.innerHeight];";
    let v = app.c.execute(scrolled, vec![]).await.unwrap();
    assert_eq!(v[0].as_f64(), Some(0.0), "the window scrolled: {v}");
    assert!(
        v[1].as_f64().unwrap_or(1.0) <= 0.0,
        "the page is taller than the window: {v}"
    );

    // The licensing board is wider than its pane: it scrolls sideways.
    app.click("#nav-boards").await;
    app.find("[data-stage='licensing:lost']").await;
    let wide = app
        .c
        .execute(
            "const b = document.querySelector('.board'); return b.scrollWidth > b.clientWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(wide.as_bool(), Some(true));
    app.screenshot("small-window-board").await;

    // Patent titles are not cut to a few characters: the column is sized by its content.
    app.click("#nav-patent").await;
    app.find("#records-table tbody tr[data-index='0'] td").await;
    let w = app
        .c
        .execute(
            "const c = document.querySelector('#records-table tbody tr[data-index=\"0\"] td');
             return c.getBoundingClientRect().width;",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        w.as_f64().unwrap_or(0.0) > 160.0,
        "the first column is {w} px wide"
    );
    app.screenshot("small-window-patents").await;
    app.quit().await;
}
