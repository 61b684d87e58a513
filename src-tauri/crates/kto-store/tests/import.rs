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

fn cost_values(description: &str, cents: i64) -> Values {
    vals(&[
        ("description", Value::Text(description.into())),
        ("category", Value::Text("legal".into())),
        ("paidDate", Value::Text("2026-01-15".into())),
        ("amount", Value::Int(cents)),
    ])
}

#[test]
fn formula_cells_are_neutralised_on_export_and_read_back_unchanged() {
    let mut store = Store::open_in_memory().unwrap();
    let hostile = [
        "=HYPERLINK(\"http://evil.example\",\"click\")",
        "+cmd|' /C calc'!A0",
        "@SUM(1+1)",
        "-2+3",
        "\tTabbed",
        "'=already quoted",
        "''@twice",
        "'plain quote",
    ];
    for (i, d) in hostile.iter().enumerate() {
        store
            .create_record(&change(), K::Cost, &cost_values(d, i as i64 + 1))
            .unwrap();
    }
    let csv = export(&store, K::Cost);
    let cells: Vec<String> = csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| r.unwrap().get(3).unwrap().to_string())
        .collect();
    for cell in &cells {
        let first = cell.chars().next().unwrap();
        assert!(
            !"=+-@\t\r".contains(first),
            "a spreadsheet would run {cell:?}"
        );
    }
    // Amounts are numbers, not text, and are written as they are.
    assert!(csv.contains(",0.01"), "{csv}");
    let mut copy = Store::open_in_memory().unwrap();
    copy.import_csv(&change(), K::Cost, csv.as_bytes()).unwrap();
    let mut back: Vec<String> = copy
        .list_records(
            K::Cost,
            &RecordQuery {
                limit: 50,
                ..Default::default()
            },
        )
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.title)
        .collect();
    let mut expected: Vec<String> = hostile.iter().map(|h| h.trim().to_string()).collect();
    back.sort();
    expected.sort();
    assert_eq!(back, expected);
}

/// The problems of a refused import as the CLI prints them.
fn refused(store: &mut Store, csv: &[u8]) -> Vec<String> {
    match store.import_csv(&change(), K::Cost, csv) {
        Err(Error::Import(p)) => p.0.iter().map(ToString::to_string).collect(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn each_bad_file_gets_a_precise_message_and_changes_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let header = "description,category,paidDate,amount\n";
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "a repeated header",
            b"description,category,paidDate,amount,amount\nA,legal,2026-01-01,1,2\n".to_vec(),
            "line 1, column amount: the header names this column twice (columns 4 and 5)",
        ),
        (
            "a thousandth of a euro",
            format!("{header}A,legal,2026-01-01,0.001\n").into_bytes(),
            "line 2, column amount: '0.001' can be read two ways",
        ),
        (
            "1.234 read two ways",
            format!("{header}A,legal,2026-01-01,1.234\n").into_bytes(),
            "line 2, column amount: '1.234' can be read two ways",
        ),
        (
            "a header and no rows",
            header.as_bytes().to_vec(),
            "line 2: the file has a header row but no rows",
        ),
        (
            "an unterminated quote",
            format!("{header}A,legal,2026-01-01,1\n\"B,legal,2026-01-01,2\nC,legal,2026-01-01,3\n")
                .into_bytes(),
            "line 3, cell 1: a quoted cell opens here",
        ),
        (
            "a NUL character",
            format!("{header}A,le\0gal,2026-01-01,1\n").into_bytes(),
            "line 2, character 5: the file holds a NUL character",
        ),
        (
            "UTF-16 without a byte-order mark",
            header.encode_utf16().flat_map(u16::to_le_bytes).collect(),
            "UTF-16 text without a byte-order mark",
        ),
    ];
    for (what, bytes, expected) in cases {
        let problems = refused(&mut store, &bytes);
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "{what}: {problems:?}"
        );
    }
    assert!(store.is_empty().unwrap());
    assert_eq!(
        store
            .list_records(K::Cost, &RecordQuery::default())
            .unwrap()
            .total,
        Some(0)
    );
}

#[test]
fn thousands_of_bad_rows_are_listed_up_to_a_cap_with_the_rest_counted() {
    let mut store = Store::open_in_memory().unwrap();
    let mut csv = String::from("description,category,paidDate,amount\n");
    for i in 0..5_000 {
        csv.push_str(&format!("Cost {i},legal,2026-01-01,not money\n"));
    }
    let problems = refused(&mut store, csv.as_bytes());
    assert_eq!(problems.len(), kto_store::MAX_LISTED_PROBLEMS + 1);
    assert!(
        problems
            .last()
            .unwrap()
            .contains("and 4900 more problems (5000 in all)"),
        "{:?}",
        problems.last()
    );
}
