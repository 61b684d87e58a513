//! Property tests of the import: the amount and date parsers read back every way an
//! amount or a date is written and refuse garbage without panicking; the header mapper
//! finds a column however a spreadsheet spells it; and an export imports back into an
//! empty store with nothing lost.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Datelike, NaiveDate, TimeZone, Utc};
use kto_core::activity::{Change, RecordKind as K};
use kto_core::record::{Value, Values};
use kto_store::{euros, parse_amount, parse_import_date as parse_date, Store};
use proptest::prelude::*;

fn change() -> Change {
    Change {
        actor: "Test User".into(),
        at: Utc.with_ymd_and_hms(2026, 3, 7, 9, 30, 0).unwrap(),
    }
}

/// `digits` with `sep` between each group of three from the right: `1234567` → `1.234.567`.
fn grouped(digits: &str, sep: char) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// Cents written the way a person or a spreadsheet writes them.
fn written(cents: i64, style: u8) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let (whole, frac) = ((abs / 100).to_string(), abs % 100);
    match style {
        0 => euros(cents),
        1 => format!("{sign}{},{frac:02}", grouped(&whole, '.')),
        2 => format!("{sign}{}.{frac:02}", grouped(&whole, ',')),
        3 => format!("€ {sign}{},{frac:02}", grouped(&whole, '.')),
        4 => format!("{sign}{whole},{frac:02}"),
        5 => format!(" EUR{sign}{whole}.{frac:02} "),
        6 => format!("{sign}{},{frac:02}\u{a0}€", grouped(&whole, '.')),
        // Whole euros without decimals, one decimal when the second is zero.
        _ if frac == 0 => format!("{sign}{}", grouped(&whole, '.')),
        _ if frac.is_multiple_of(10) => format!("{sign}{whole},{}", frac / 10),
        _ => euros(cents),
    }
}

/// A date written the ways the import accepts.
fn date_written(d: NaiveDate, style: u8) -> String {
    match style {
        0 => d.format("%Y-%m-%d").to_string(),
        1 => d.format("%d-%m-%Y").to_string(),
        2 => d.format("%d/%m/%Y").to_string(),
        3 => d.format("%d.%m.%Y").to_string(),
        _ => format!("{}-{}-{}", d.day(), d.month(), d.year()),
    }
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (1000i32..=9999, 1u32..=12, 1u32..=31)
        .prop_filter_map("a real date", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
}

proptest! {
    #[test]
    fn amounts_read_back_in_every_notation(
        cents in -1_000_000_000_000_000i64..1_000_000_000_000_000,
        style in 0u8..10,
    ) {
        let text = written(cents, style);
        prop_assert_eq!(parse_amount(&text), Some(cents), "{}", text);
    }

    #[test]
    fn the_amount_parser_never_panics(text in any::<String>()) {
        let _ = parse_amount(&text);
    }

    #[test]
    fn an_accepted_amount_has_digits(text in "[-0-9.,€ EUR]{0,12}") {
        if parse_amount(&text).is_some() {
            prop_assert!(text.bytes().any(|b| b.is_ascii_digit()), "{}", text);
        }
    }

    #[test]
    fn amounts_with_garbage_are_refused(
        before in "[0-9.,]{0,6}",
        junk in "[a-zA-DF-QSTV-Z!?#%&*()=+_/:@$]",
        after in "[0-9.,]{0,6}",
    ) {
        let text = format!("{before}{junk}{after}");
        prop_assert_eq!(parse_amount(&text), None, "{}", text);
    }

    #[test]
    fn dates_read_back_in_every_notation(d in any_date(), style in 0u8..5) {
        let text = date_written(d, style);
        prop_assert_eq!(parse_date(&text), Some(d), "{}", text);
    }

    #[test]
    fn day_month_year_is_a_date_exactly_when_the_calendar_has_it(
        y in 1000i32..=9999, m in 0u32..=14, d in 0u32..=33, sep in "[-/.]",
    ) {
        let text = format!("{d}{sep}{m}{sep}{y}");
        prop_assert_eq!(parse_date(&text), NaiveDate::from_ymd_opt(y, m, d), "{}", text);
    }

    #[test]
    fn the_date_parser_never_panics(text in any::<String>()) {
        let _ = parse_date(&text);
    }

    #[test]
    fn an_accepted_date_has_no_sign_and_reads_back_from_iso(
        text in "[-+]?[0-9]{1,2}[-/.][-+]?[0-9]{1,2}[-/.][-+]?[0-9]{1,4}\
                 |[-+]?[0-9]{3,4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])",
    ) {
        if let Some(d) = parse_date(&text) {
            prop_assert!(
                text.trim().bytes().all(|b| b.is_ascii_digit() || b"-/.".contains(&b)),
                "{}", text
            );
            let iso = d.format("%Y-%m-%d").to_string();
            prop_assert_eq!(parse_date(&iso), Some(d), "{} -> {}", text, iso);
        }
    }

    #[test]
    fn dates_with_garbage_or_short_years_are_refused(
        d in any_date(),
        junk in "[a-zA-Z!?#%&*()=+_:@ ]",
        at in 0usize..10,
    ) {
        let mut text = d.format("%d-%m-%Y").to_string();
        text.insert_str(at.min(text.len() - 1).max(1), &junk);
        prop_assert_eq!(parse_date(&text), None, "{}", text);
        let short = d.format("%d-%m-%y").to_string();
        prop_assert_eq!(parse_date(&short), None, "{}", short);
    }
}

/// One line of text as a user types it: letters, digits, punctuation, CSV's own quotes,
/// separators and line breaks inside; never blank, no whitespace at either end (the
/// import and validation trim cells).
fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[a-zA-Z0-9 ,;\t\"'\\n\\-éëü€ß日本()]{{1,{max}}}"))
        .unwrap()
        .prop_map(|s| s.trim().to_string())
        .prop_filter("not blank", |s| !s.is_empty())
}

fn cost() -> impl Strategy<Value = Values> {
    (
        text(60),
        prop::sample::select(vec!["patent", "legal", "marketing", "other"]),
        (2000i32..=2025, 1u32..=12, 1u32..=28),
        0i64..10_000_000_000,
    )
        .prop_map(|(description, category, (y, m, d), amount)| {
            let mut v = Values::new();
            v.insert("description".into(), Value::Text(description));
            v.insert("category".into(), Value::Text(category.into()));
            v.insert(
                "paidDate".into(),
                Value::Text(format!("{y:04}-{m:02}-{d:02}")),
            );
            v.insert("amount".into(), Value::Int(amount));
            v
        })
}

fn consortium() -> impl Strategy<Value = Values> {
    (
        text(60),
        prop::option::of(text(40)),
        prop::option::of((1990i64..=2100, 0i64..=10)),
        prop::option::of(0i64..10_000_000_000),
        prop::option::of(text(200)),
    )
        .prop_map(|(name, programme, years, budget, description)| {
            let mut v = Values::new();
            v.insert("name".into(), Value::Text(name));
            if let Some(p) = programme {
                v.insert("programme".into(), Value::Text(p));
            }
            if let Some((start, len)) = years {
                v.insert("startYear".into(), Value::Int(start));
                v.insert("endYear".into(), Value::Int((start + len).min(2100)));
            }
            if let Some(b) = budget {
                v.insert("totalBudget".into(), Value::Int(b));
            }
            if let Some(d) = description {
                v.insert("description".into(), Value::Text(d));
            }
            v
        })
}

/// Creates `records` of `kind` in `store`; returns their ids and values as stored.
fn create(store: &mut Store, kind: K, records: &[Values]) -> Vec<(String, Values)> {
    records
        .iter()
        .map(|v| {
            let saved = store.create_record(&change(), kind, v).unwrap();
            (saved.id, saved.values)
        })
        .collect()
}

fn export(store: &Store, kind: K) -> Vec<u8> {
    let mut out = Vec::new();
    store.export_kind_csv(kind, &mut out).unwrap();
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn an_export_of_costs_and_consortia_imports_back_unchanged(
        costs in prop::collection::vec(cost(), 1..6),
        consortia in prop::collection::vec(consortium(), 1..6),
    ) {
        let mut a = Store::open_in_memory().unwrap();
        let mut b = Store::open_in_memory().unwrap();
        for (kind, records) in [(K::Cost, &costs), (K::Consortium, &consortia)] {
            let made = create(&mut a, kind, records);
            let file = export(&a, kind);
            let summary = b.import_csv(&change(), kind, &file).unwrap();
            prop_assert_eq!((summary.created, summary.updated), (records.len(), 0));
            for (id, values) in &made {
                prop_assert_eq!(&b.record(kind, id).unwrap().values, values);
            }
            // Importing the export of the copy again changes nothing.
            let again = b.import_csv(&change(), kind, &export(&b, kind)).unwrap();
            prop_assert_eq!((again.created, again.updated), (0, records.len()));
            for (id, values) in &made {
                prop_assert_eq!(&b.record(kind, id).unwrap().values, values);
            }
        }
    }

    /// A spreadsheet's own spelling of the headers (case, spaces, `_`, `-`, the column
    /// name instead of the key), its separator, and Dutch or English amounts and dates.
    #[test]
    fn the_mapper_reads_a_spreadsheets_spelling_of_the_costs(
        costs in prop::collection::vec(cost(), 1..5),
        spelling in prop::collection::vec((any::<bool>(), 0u8..4, any::<bool>()), 4),
        delimiter in prop::sample::select(vec![b',', b';', b'\t']),
        amount_style in 0u8..10,
        date_style in 0u8..5,
    ) {
        let fields = [
            ("description", "description"),
            ("category", "category"),
            ("paidDate", "paid_date"),
            ("amount", "amount_cents"),
        ];
        let headers: Vec<String> = fields
            .iter()
            .zip(&spelling)
            .map(|((key, column), (use_column, sep, upper))| {
                let base = if *use_column && *key != "amount" { column } else { key };
                let sep = [" ", "_", "-", ""][usize::from(*sep)];
                let mut h = String::new();
                for (i, c) in base.chars().enumerate() {
                    if c.is_uppercase() || c == '_' {
                        h.push_str(sep);
                    }
                    if c != '_' {
                        h.push(if *upper && i == 0 { c.to_ascii_uppercase() } else { c });
                    }
                }
                h
            })
            .collect();
        let mut w = csv::WriterBuilder::new().delimiter(delimiter).from_writer(Vec::new());
        w.write_record(&headers).unwrap();
        for v in &costs {
            let text = |k: &str| v[k].as_text().unwrap().to_string();
            let date = NaiveDate::parse_from_str(&text("paidDate"), "%Y-%m-%d").unwrap();
            w.write_record([
                // As a spreadsheet writes text it shows: a leading `'` before a formula
                // character is the guard (kto_store::csv_guard), not part of the value.
                kto_store::csv_guard(&text("description")).into_owned(),
                text("category").to_uppercase(),
                date_written(date, date_style),
                written(v["amount"].as_int().unwrap(), amount_style),
            ])
            .unwrap();
        }
        let file = w.into_inner().unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let summary = store
            .import_csv(&change(), K::Cost, &file)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{}", String::from_utf8_lossy(&file))))?;
        prop_assert_eq!(summary.created, costs.len());
        let mut got: Vec<Values> = store
            .list_records(K::Cost, &kto_core::record::RecordQuery { limit: 50, ..Default::default() })
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.values)
            .collect();
        let mut want = costs.clone();
        let key = |v: &Values| format!("{:?}", v);
        got.sort_by_key(key);
        want.sort_by_key(key);
        prop_assert_eq!(got, want);
    }
}
