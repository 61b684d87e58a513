//! Spreadsheet import in the real app: a messy CSV as an office saves it from Excel (a
//! byte-order mark, `;`, Dutch headers, amounts `1.234,56`, dates `31-12-2025`, a bad
//! date and a row that is already in the office) goes through the mapping and the preview,
//! lands in the table, and is undone.

use crate::harness::{settle, Driver};

/// The cost the office already has; the file repeats it.
async fn add_existing_cost(app: &crate::harness::App) {
    app.click("#nav-cost").await;
    app.wait_text("#records-title", |s| s == "Costs").await;
    app.click("#new-record").await;
    app.fill("#rf-description", "Octrooigemachtigde NL").await;
    app.select("#rf-category", "patent").await;
    app.fill("#rf-paidDate", "31-12-2025").await;
    app.fill("#rf-amount", "1234.56").await;
    app.click("#save-record").await;
    app.wait_text("#record-title", |s| s == "Octrooigemachtigde NL")
        .await;
}

async fn value(app: &crate::harness::App, css: &str) -> String {
    app.find(css)
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_messy_spreadsheet_is_previewed_imported_and_undone() {
    let driver = Driver::start();
    let app = driver.launch().await;
    app.find("#welcome-title").await;
    add_existing_cost(&app).await;

    let file = std::env::temp_dir().join("kosten-export-excel.csv");
    let csv = "\u{feff}Omschrijving;Categorie;Datum betaling;Bedrag (€);Opmerking\r\n\
               Octrooigemachtigde NL;Octrooikosten;31-12-2025;1.234,56;staat er al\r\n\
               Vertaling octrooiaanvraag;overig;15-01-2026;1.250,00;\r\n\
               Advocaat licentiecontract;juridisch;32-01-2026;980,00;\r\n\
               Beursstand Hannover;marketing;3-3-2026;12.500;\r\n";
    std::fs::write(&file, csv).unwrap();

    app.click("#nav-cost").await;
    app.click("#import-records").await;
    app.wait_text("#import-title", |s| s == "Import a spreadsheet")
        .await;
    assert_eq!(value(&app, "#import-kind").await, "cost");
    app.find("#import-file")
        .await
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    app.wait_text("#import-file-info", |s| {
        s.contains("kosten-export-excel.csv")
    })
    .await;
    app.click("#import-next").await;

    // The Dutch headers were matched; the remarks column is left out.
    app.find("#import-mapping").await;
    let mapped = [
        value(&app, "#map-0").await,
        value(&app, "#map-1").await,
        value(&app, "#map-2").await,
        value(&app, "#map-3").await,
        value(&app, "#map-4").await,
    ];
    assert_eq!(
        mapped,
        ["description", "category", "paidDate", "amount", ""]
    );
    settle().await;
    app.screenshot("import-mapping").await;
    app.click("#import-check").await;

    let summary = app
        .wait_text("#import-summary", |s| s.contains("New records"))
        .await;
    let problems = app.text("#import-problems").await.unwrap_or_default();
    let summary = format!("{summary}\n{problems}");
    assert!(summary.contains("Rows read: 4"), "{summary}");
    assert!(summary.contains("New records: 2"), "{summary}");
    assert!(summary.contains("Already in the office: 1"), "{summary}");
    assert!(
        summary.contains("Left out because of problems: 1"),
        "{summary}"
    );
    let problems = app.text("#import-problems").await.unwrap();
    assert!(
        problems.contains("4\tDatum betaling\t“32-01-2026” is not a date"),
        "{problems}"
    );
    let duplicates = app.text("#import-duplicates").await.unwrap();
    assert!(
        duplicates.contains("Octrooigemachtigde NL, 31/12/2025, €1,234.56"),
        "{duplicates}"
    );
    // A match on description, date and amount is proposed to be skipped; skip it.
    assert_eq!(value(&app, "#dup-2").await, "skip");
    app.wait_text("#import-apply", |s| s == "Import (2)").await;
    app.select("#dup-2", "merge").await;
    app.wait_text("#import-apply", |s| s == "Import (3)").await;
    app.select("#dup-2", "skip").await;
    app.wait_text("#import-apply", |s| s == "Import (2)").await;
    settle().await;
    let shot = app.screenshot("import-preview").await;
    assert!(shot.exists());

    app.click("#import-apply").await;
    let result = app
        .wait_text("#import-result", |s| s.contains("Imported"))
        .await;
    assert!(
        result.contains("2 new, 0 updated, 1 skipped, 1 left out"),
        "{result}"
    );
    app.find("#import-undo").await;

    app.click("#import-show").await;
    let table = app
        .wait_text("#records-table", |s| {
            s.contains("Vertaling octrooiaanvraag")
        })
        .await;
    assert!(table.contains("Beursstand Hannover"), "{table}");
    assert!(table.contains("€12,500.00"), "{table}");
    assert!(table.contains("15/01/2026"), "{table}");
    assert!(!table.contains("Advocaat"), "{table}");
    app.wait_text("#records-count", |s| s.starts_with('3'))
        .await;

    // Back on the import screen the last import is offered for undo.
    app.click("#import-records").await;
    let last = app
        .wait_text("#last-import", |s| s.contains("kosten-export-excel.csv"))
        .await;
    assert!(last.contains("2 new, 0 updated"), "{last}");
    app.click("#undo-last-import").await;
    app.wait_text("#import-undone", |s| s.contains("2 records deleted"))
        .await;
    assert!(app.text("#last-import").await.is_none());

    app.click("#nav-cost").await;
    app.wait_text("#records-count", |s| s.starts_with('1'))
        .await;
    let table = app.text("#records-table").await.unwrap();
    assert!(table.contains("Octrooigemachtigde NL"), "{table}");
    assert!(!table.contains("Vertaling"), "{table}");

    // The same screen in Dutch.
    app.click("#import-records").await;
    app.click("#lang-nl").await;
    app.wait_text("#import-title", |s| s == "Spreadsheet importeren")
        .await;
    app.wait_text("label[for=import-kind]", |s| s == "Importeren als")
        .await;
    settle().await;
    app.screenshot("import-file-nl").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn everything_is_exported_a_portable_backup_saved_the_calendar_written_and_the_export_imported(
) {
    // Two data folders: the demo office, and an empty office the export is imported into.
    let (driver, empty_office) = Driver::pair();
    let app = driver.launch().await;
    app.click("#load-demo").await;
    app.wait_text("#week-title", |s| !s.is_empty()).await;
    app.click("#nav-disclosures").await;
    app.wait_text("#list-count", |s| s.contains("48 disclosures"))
        .await;
    app.click("#nav-settings").await;
    app.find("#data-export").await;
    // Today's folder in the Documents (or home) folder is offered.
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let mut offered = String::new();
    for _ in 0..50 {
        offered = value(&app, "#export-folder").await;
        if !offered.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        offered.ends_with(&format!("KTO Desk export {today}")),
        "{offered}"
    );

    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("KTO export");
    app.fill("#export-folder", folder.to_str().unwrap()).await;
    app.click("#export-everything").await;
    // A typed folder is written to only once the user confirms it.
    app.wait_text("#confirm-write", |s| s.contains(folder.to_str().unwrap()))
        .await;
    assert!(!folder.exists());
    app.click("#confirm-write-yes").await;
    let notice = app
        .wait_text("#export-notice", |s| s.contains("were exported"))
        .await;
    assert!(notice.contains(folder.to_str().unwrap()), "{notice}");
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for expected in [
        "disclosures.csv",
        "deals.csv",
        "patents.csv",
        "organisations.csv",
        "kto-desk-export.json",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
    let disclosures = std::fs::read_to_string(folder.join("disclosures.csv")).unwrap();
    assert_eq!(disclosures.lines().count(), 49, "header and 48 disclosures");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("kto-desk-export.json")).unwrap())
            .unwrap();
    assert_eq!(json["tables"]["disclosures"].as_array().unwrap().len(), 48);
    // Nothing but the export is left beside it.
    let beside: Vec<_> = std::fs::read_dir(out.path()).unwrap().collect();
    assert_eq!(beside.len(), 1);
    app.c
        .execute(
            "document.querySelector('#data-export').scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    settle().await;
    let shot = app.screenshot("export").await;
    assert!(shot.exists());

    // A second export into the same folder is refused and changes nothing.
    app.click("#export-everything").await;
    app.wait_text(".banner-error", |s| s.contains("already exists"))
        .await;

    // The portable backup: a checked database file where the user says.
    let file = out.path().join("office backup.sqlite3");
    app.fill("#backup-file", file.to_str().unwrap()).await;
    app.click("#save-portable-backup").await;
    app.click("#confirm-write-yes").await;
    app.wait_text("#export-notice", |s| s.contains("Portable backup saved"))
        .await;
    let header = std::fs::read(&file).unwrap();
    assert!(header.starts_with(b"SQLite format 3\0"));

    // Export to Excel: one workbook, a sheet per kind, written once confirmed.
    let workbook = out.path().join("office.xlsx");
    app.fill("#workbook-file", workbook.to_str().unwrap()).await;
    app.click("#export-xlsx").await;
    assert!(
        !workbook.exists(),
        "nothing is written before the confirmation"
    );
    app.click("#confirm-write-yes").await;
    let notice = app
        .wait_text("#export-notice", |s| s.contains("written to the workbook"))
        .await;
    assert!(notice.contains("office.xlsx"), "{notice}");
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&workbook).unwrap();
    use calamine::Reader;
    assert!(wb.sheet_names().iter().any(|n| n == "deals"));
    let disclosures = wb.worksheet_range("disclosures").unwrap();
    assert_eq!(disclosures.height(), 49, "header and 48 disclosures");
    settle().await;
    assert!(app.screenshot("export-xlsx").await.exists());

    // My week's calendar card: the office's deadlines and next actions as an .ics file,
    // read back by an independent iCalendar parser.
    app.click("#nav-week").await;
    app.find("#calendar-export").await;
    let ics = out.path().join("office deadlines.ics");
    app.fill("#calendar-file", ics.to_str().unwrap()).await;
    app.click("#calendar-export-now").await;
    app.click("#calendar-confirm-yes").await;
    let notice = app
        .wait_text("#calendar-notice", |s| {
            s.contains("events for the whole office")
        })
        .await;
    let text = std::fs::read_to_string(&ics).unwrap();
    let calendar: icalendar::Calendar = text.parse().unwrap();
    let events = calendar.components.len();
    assert!(events > 0, "{text}");
    assert!(notice.starts_with(&format!("{events} events")), "{notice}");
    assert!(text.contains("UID:deal-"), "{text}");
    app.c
        .execute(
            "document.querySelector('#calendar-export').scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    settle().await;
    assert!(app.screenshot("calendar").await.exists());
    let before = office_figures(&app).await;
    app.quit().await;

    // The export imported into an empty office from its welcome page: the same boards,
    // monitor figures and lists.
    let app = empty_office.launch().await;
    app.find("#welcome-title").await;
    app.fill("#import-export-folder", folder.to_str().unwrap())
        .await;
    app.c
        .execute(
            "document.querySelector('#export-import').scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    settle().await;
    app.screenshot("welcome-import").await;
    app.click("#import-export-now").await;
    app.wait_text("#import-confirm", |s| s.contains(folder.to_str().unwrap()))
        .await;
    app.click("#import-confirm-yes").await;
    app.wait_text("#week-title", |s| !s.is_empty()).await;
    let notice = app
        .wait_text("#notice", |s| s.contains("records with"))
        .await;
    assert!(notice.contains("were imported from"), "{notice}");
    settle().await;
    app.screenshot("export-imported").await;
    assert_eq!(office_figures(&app).await, before);
    // Not a second time: the office is no longer empty, and it says so.
    app.click("#nav-settings").await;
    app.fill("#import-export-folder", folder.to_str().unwrap())
        .await;
    app.click("#import-export-now").await;
    app.wait_text("#export-import .banner-error", |s| {
        s.contains("already holds records")
    })
    .await;
    app.quit().await;
}

/// What the office shows: the disclosures' count, the licensing board's columns and the
/// monitor's figures.
async fn office_figures(app: &crate::harness::App) -> (String, Vec<String>, String) {
    app.click("#nav-disclosures").await;
    let count = app
        .wait_text("#list-count", |s| s.contains("disclosures"))
        .await;
    app.click("#nav-boards").await;
    app.wait_text("#board-title", |s| s.contains("Licensing"))
        .await;
    app.wait_text("[data-stage='licensing:marketing'] .column-stats", |s| {
        !s.is_empty()
    })
    .await;
    settle().await;
    let board = app.texts("[data-stage]").await;
    app.click("#nav-monitor").await;
    let figures = app
        .wait_text("#mon-figures", |s| s.contains("Invention disclosures"))
        .await;
    (count, board, figures)
}

#[tokio::test(flavor = "multi_thread")]
async fn disclosures_with_dutch_headers_and_inventors_are_imported_into_the_list() {
    let driver = Driver::start();
    let app = driver.launch().await;
    app.find("#welcome-title").await;

    // As Excel saves it in Dutch: `;`, a quoted inventors cell with shares, Dutch dates.
    let file = std::env::temp_dir().join("uitvindingsmeldingen.csv");
    let csv = "\u{feff}Kenmerk;Titel;Datum melding;Faculteit;TRL;Fase;Uitvinders\r\n\
               D-2026-0201;Zuurstofsensor voor bioreactoren;15-01-2026;Scheikunde;4;In beoordeling;\"Anouk de Vries (60 %); Bram Jansen (40 %)\"\r\n\
               D-2026-0202;Algoritme voor netplanning;02-02-2026;Wiskunde;;Ontvangen;Bram Jansen\r\n\
               D-2026-0203;Meting zonder uitvinders;03-02-2026;Wiskunde;;;\r\n";
    std::fs::write(&file, csv).unwrap();

    app.click("#nav-settings").await;
    app.click("#open-import").await;
    app.wait_text("#import-title", |s| s == "Import a spreadsheet")
        .await;
    app.find("#import-kind option[value=disclosure]").await;
    app.select("#import-kind", "disclosure").await;
    app.find("#import-file")
        .await
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    app.wait_text("#import-file-info", |s| {
        s.contains("uitvindingsmeldingen.csv")
    })
    .await;
    app.click("#import-next").await;

    app.find("#import-mapping").await;
    let mut mapped = Vec::new();
    for n in 0..7 {
        mapped.push(value(&app, &format!("#map-{n}")).await);
    }
    assert_eq!(
        mapped,
        [
            "reference",
            "title",
            "receivedOn",
            "faculty",
            "trl",
            "stage",
            "inventors"
        ]
    );
    app.click("#import-check").await;
    let summary = app
        .wait_text("#import-summary", |s| s.contains("New records"))
        .await;
    assert!(summary.contains("Rows read: 3"), "{summary}");
    assert!(summary.contains("New records: 2"), "{summary}");
    let problems = app.text("#import-problems").await.unwrap();
    assert!(problems.contains("4\tUitvinders"), "{problems}");
    settle().await;
    app.screenshot("import-disclosures-preview").await;

    app.click("#import-apply").await;
    let result = app
        .wait_text("#import-result", |s| s.contains("Imported"))
        .await;
    assert!(result.contains("2 new, 0 updated"), "{result}");
    app.click("#import-show").await;
    app.wait_text("#list-count", |s| s.contains("2 disclosures"))
        .await;
    let rows = app
        .wait_text("#disclosure-rows", |s| s.contains("Zuurstofsensor"))
        .await;
    assert!(rows.contains("D-2026-0201"), "{rows}");
    assert!(rows.contains("Algoritme voor netplanning"), "{rows}");
    assert!(rows.contains("Anouk de Vries"), "{rows}");
    assert!(!rows.contains("Meting zonder"), "{rows}");
    settle().await;
    app.screenshot("import-disclosures-list").await;
    app.quit().await;
}
