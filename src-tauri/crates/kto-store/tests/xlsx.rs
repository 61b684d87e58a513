//! "Export to Excel": one workbook, a sheet per kind with typed cells, a frozen header
//! and filters, read back with calamine; each sheet imports back as its kind.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;

use calamine::{Data, Reader, Xlsx};
use chrono::{NaiveDate, TimeZone, Utc};
use kto_core::activity::{Change, RecordKind as K};
use kto_store::{Store, INVENTORS_SHEET};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

fn change() -> Change {
    Change {
        actor: "Test User".into(),
        at: Utc.with_ymd_and_hms(2026, 11, 27, 16, 5, 0).unwrap(),
    }
}

fn demo() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let office = kto_core::demo::office(42, today(), 60, 48);
    store.load_demo(&office, today(), "Demo").unwrap();
    store
}

fn workbook(store: &Store) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("office.xlsx");
    store.export_xlsx(&path).unwrap();
    (dir, path)
}

/// The header and rows of a sheet.
fn sheet(path: &std::path::Path, name: &str) -> (Vec<String>, Vec<Vec<Data>>) {
    let mut wb: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    let mut rows = range.rows().map(|r| r.to_vec());
    let header = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    (header, rows.collect())
}

fn column(header: &[String], key: &str) -> usize {
    header.iter().position(|h| h == key).unwrap()
}

#[test]
fn the_workbook_has_a_sheet_per_kind_with_typed_cells() {
    let store = demo();
    let (_dir, path) = workbook(&store);
    let wb: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let names = wb.sheet_names();
    for expected in [
        "disclosures",
        "deals",
        "patents",
        "agreements",
        "income",
        "costs",
        "people",
        "organisations",
        INVENTORS_SHEET,
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }

    let (header, rows) = sheet(&path, "disclosures");
    assert_eq!(rows.len(), 48);
    assert_eq!(header[0], "id");
    let received = column(&header, "receivedOn");
    assert!(
        rows.iter()
            .all(|r| matches!(r[received], Data::DateTime(_))),
        "dates are date cells"
    );
    let inventors = column(&header, "inventors");
    assert!(rows[0][inventors].to_string().contains('%'));
    let named: usize = rows
        .iter()
        .map(|r| r[inventors].to_string().split(';').count())
        .sum();

    // Amounts are numbers in euros with the € format, not text.
    let (header, rows) = sheet(&path, "income");
    let amount = column(&header, "amount");
    let mut csv = Vec::new();
    store.export_kind_csv(K::Income, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    for r in &rows {
        let Data::Float(euros) = r[amount] else {
            panic!("amount {:?} is not a number", r[amount]);
        };
        assert!(csv.contains(&format!("{euros:.2}")), "{euros} in {csv}");
    }

    // Shares are percentages.
    let (header, rows) = sheet(&path, INVENTORS_SHEET);
    assert_eq!(header, ["reference", "title", "inventor", "share"]);
    assert_eq!(rows.len(), named);
    assert!(rows
        .iter()
        .all(|r| matches!(r[3], Data::Float(s) if s > 0.0 && s <= 1.0)));

    // Frozen header row, filters and the formats, in the sheet's XML.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(
        xml.contains(r#"ySplit="1""#) && xml.contains(r#"state="frozen""#),
        "{xml:.400}"
    );
    assert!(xml.contains("<autoFilter"), "filters");
    let mut styles = String::new();
    zip.by_name("xl/styles.xml")
        .unwrap()
        .read_to_string(&mut styles)
        .unwrap();
    assert!(
        styles.contains("#,##0.00") && styles.contains("0.00%") && styles.contains("yyyy-mm-dd")
    );
}

#[test]
fn every_sheet_imports_back_as_its_kind_and_exports_the_same_workbook() {
    let store = demo();
    let (dir, path) = workbook(&store);
    let bytes = std::fs::read(&path).unwrap();
    let mut empty = Store::open_in_memory().unwrap();
    // Parents before the records that link to them.
    for kind in [
        K::Organisation,
        K::Person,
        K::Disclosure,
        K::Deal,
        K::Patent,
        K::Consortium,
        K::SpinOff,
        K::Agreement,
        K::ScoutingLead,
        K::Contribution,
        K::Founder,
        K::FundingRound,
        K::Income,
        K::Cost,
    ] {
        empty
            .import_csv(&change(), kind, &bytes)
            .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
    }
    let again = dir.path().join("again.xlsx");
    empty.export_xlsx(&again).unwrap();
    let (mut a, mut b): (Xlsx<_>, Xlsx<_>) = (
        calamine::open_workbook(&path).unwrap(),
        calamine::open_workbook(&again).unwrap(),
    );
    for name in a.sheet_names() {
        let (ra, rb) = (
            a.worksheet_range(&name).unwrap(),
            b.worksheet_range(&name).unwrap(),
        );
        assert_eq!(ra.get_size(), rb.get_size(), "{name}");
        for (row_a, row_b) in ra.rows().zip(rb.rows()) {
            assert_eq!(row_a, row_b, "{name}");
        }
    }
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let store = demo();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("office.xlsx");
    std::fs::write(&path, b"mine").unwrap();
    let e = store.export_xlsx(&path).unwrap_err();
    assert!(e.to_string().contains("never overwrites"), "{e}");
    assert_eq!(std::fs::read(&path).unwrap(), b"mine");
}
