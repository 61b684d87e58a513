//! Import of the generic kinds from CSV: the export read back with nothing lost, messy
//! spreadsheet shapes, and refusal with line and column when anything is wrong.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use kto_core::activity::{Change, RecordKind as K};
use kto_core::record::{RecordQuery, Value, Values};
use kto_store::{Error, Store};

fn change() -> Change {
    Change {
        actor: "Test User".into(),
        at: Utc.with_ymd_and_hms(2026, 3, 7, 9, 30, 0).unwrap(),
    }
}

fn vals(pairs: &[(&str, Value)]) -> Values {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), v.clone()))
        .collect()
}

fn export(store: &Store, kind: K) -> String {
    let mut out = Vec::new();
    store.export_kind_csv(kind, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// The rows of an export without the timestamps, sorted: what a round trip must keep.
fn content(csv: &str) -> Vec<String> {
    let mut rows: Vec<String> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes())
        .records()
        .map(|r| {
            let r = r.unwrap();
            let cells: Vec<&str> = r.iter().collect();
            [&cells[..1], &cells[3..]].concat().join("|")
        })
        .collect();
    rows.sort();
    rows
}

fn count(store: &Store, kind: K) -> usize {
    store
        .list_records(
            kind,
            &RecordQuery {
                limit: 500,
                ..Default::default()
            },
        )
        .unwrap()
        .rows
        .len()
}

#[test]
fn an_export_imports_back_with_nothing_lost() {
    let mut a = Store::open_in_memory().unwrap();
    let t = |s: &str| Value::Text(s.into());
    a.create_record(
        &change(),
        K::Cost,
        &vals(&[
            ("description", t("Attorney, \"urgent\" filing")),
            ("category", t("patent")),
            ("paidDate", t("2026-01-15")),
            ("amount", Value::Int(123_456)),
        ]),
    )
    .unwrap();
    a.create_record(
        &change(),
        K::Cost,
        &vals(&[
            ("description", t("Translation é ü")),
            ("category", t("other")),
            ("paidDate", t("2025-12-31")),
            ("amount", Value::Int(5)),
        ]),
    )
    .unwrap();
    a.create_record(
        &change(),
        K::Consortium,
        &vals(&[
            ("name", t("Quantum NL")),
            ("startYear", Value::Int(2024)),
            ("totalBudget", Value::Int(250_000_000)),
            ("description", t("Two lines\nof notes")),
        ]),
    )
    .unwrap();
    let mut b = Store::open_in_memory().unwrap();
    for kind in [K::Cost, K::Consortium] {
        let csv = export(&a, kind);
        let n = b.import_csv(&change(), kind, csv.as_bytes()).unwrap();
        assert_eq!(n.updated, 0);
        assert_eq!(content(&export(&b, kind)), content(&csv), "{kind:?}");
        // Importing the same file again updates the same records and changes nothing.
        let again = b.import_csv(&change(), kind, csv.as_bytes()).unwrap();
        assert_eq!((again.created, again.updated), (0, n.created));
        assert_eq!(content(&export(&b, kind)), content(&csv));
    }
}

#[test]
fn a_spreadsheet_with_a_bom_semicolons_and_dutch_numbers_imports() {
    let mut store = Store::open_in_memory().unwrap();
    let file = "\u{feff}Description;Category;paid_date;Amount\r\n\
                Octrooigemachtigde;Patent;31-12-2025;€ 1.234,56\r\n\
                Vertaling;other;1-2-2026;99,5\r\n\
                ;;;\r\n";
    let n = store
        .import_csv(&change(), K::Cost, file.as_bytes())
        .unwrap();
    assert_eq!(n.created, 2);
    let csv = export(&store, K::Cost);
    assert!(
        csv.contains("Octrooigemachtigde,patent,2025-12-31,1234.56"),
        "{csv}"
    );
    assert!(csv.contains("Vertaling,other,2026-02-01,99.50"), "{csv}");
}

#[test]
fn windows_1252_text_and_tabs_import() {
    let mut store = Store::open_in_memory().unwrap();
    let mut file = b"description\tcategory\tpaidDate\tamount\n".to_vec();
    file.extend_from_slice(b"Caf\xe9 \x80 fee\tlegal\t2026-01-02\t\x80 10\n");
    store.import_csv(&change(), K::Cost, &file).unwrap();
    assert!(export(&store, K::Cost).contains("Café € fee,legal,2026-01-02,10.00"));
}

#[test]
fn every_bad_cell_is_reported_by_line_and_column_and_nothing_is_imported() {
    let mut store = Store::open_in_memory().unwrap();
    let file = "description,category,paidDate,amount,colour\n\
                Good row,legal,2026-01-02,10\n\
                Bad amount,legal,2026-01-02,ten euros\n\
                Bad date,legal,32-01-2026,10\n\
                ,legal,2026-01-02,10\n\
                Bad choice,lawyers,2026-01-02,10\n";
    let err = store
        .import_csv(&change(), K::Cost, file.as_bytes())
        .unwrap_err();
    let Error::Import(problems) = &err else {
        panic!("{err}")
    };
    let found: Vec<(u64, Option<&str>)> = problems
        .0
        .iter()
        .map(|p| (p.line, p.column.as_deref()))
        .collect();
    assert_eq!(
        found,
        vec![
            (1, Some("colour")),
            (3, Some("amount")),
            (4, Some("paidDate")),
            (5, Some("description")),
            (6, Some("category")),
        ]
    );
    let text = err.to_string();
    assert!(
        text.contains("line 3, column amount: 'ten euros' is not an amount"),
        "{text}"
    );
    assert!(text.contains("nothing was changed"), "{text}");
    assert_eq!(
        count(&store, K::Cost),
        0,
        "the good row was not kept either"
    );
}

#[test]
fn a_link_to_a_missing_record_is_refused() {
    let mut store = Store::open_in_memory().unwrap();
    let file = "description,category,paidDate,amount,patentId\n\
                Fee,patent,2026-01-02,10,0195f9d8-0000-7000-8000-000000000001\n";
    let err = store
        .import_csv(&change(), K::Cost, file.as_bytes())
        .unwrap_err();
    assert!(err.to_string().contains("line 2, column patentId"), "{err}");
}
