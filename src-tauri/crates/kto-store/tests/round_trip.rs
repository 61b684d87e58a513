//! A whole export imported into an empty office gives the office back: exported again it
//! is the same files byte for byte. A changed or hostile export is refused with what is
//! wrong in which file, and the office stays empty.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{NaiveDate, TimeZone, Utc};
use kto_core::activity::{Change, RecordKind as K};
use kto_core::disclosure::DisclosureQuery;
use kto_core::pipeline::Pipeline;
use kto_core::record::{RecordQuery, Value, Values};
use kto_core::settings::Language;
use kto_core::settings::Settings;
use kto_store::{Error, Store, EXPORT_JSON_NAME};
use proptest::prelude::*;
use serde_json::Value as Json;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

fn change() -> Change {
    Change {
        actor: "Test User".into(),
        at: Utc.with_ymd_and_hms(2026, 11, 27, 16, 5, 0).unwrap(),
    }
}

/// The demo office of `seed`, with a note on a disclosure and a deal, an attachment, the
/// institution's settings and a year's office inputs.
fn office(seed: u64, language: Language, people: usize, disclosures: usize) -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let demo = kto_core::demo::office_in(language, seed, today(), people, disclosures);
    store.load_demo(&demo, today(), "Demo").unwrap();
    let disclosure = first_disclosure(&store);
    let deal = store
        .list_deals(
            Pipeline::Licensing,
            &RecordQuery {
                limit: 1,
                ..RecordQuery::default()
            },
        )
        .unwrap()
        .rows[0]
        .id
        .to_string();
    store
        .add_note(
            &change(),
            K::Disclosure,
            &disclosure,
            "Called the inventor; \"=1+1\" stays text",
        )
        .unwrap();
    store
        .add_note(&change(), K::Deal, &deal, "Term sheet sent\nsecond line")
        .unwrap();
    store
        .add_attachment(
            &change(),
            K::Disclosure,
            &disclosure,
            "IDF scan.pdf",
            b"%PDF-1.4 demo\x00\xff",
        )
        .unwrap();
    store
        .save_settings(&Settings {
            language,
            user_name: "Office Head".into(),
        })
        .unwrap();
    store
}

fn first_disclosure(store: &Store) -> String {
    store
        .list_disclosures(&DisclosureQuery::default())
        .unwrap()
        .rows[0]
        .id
        .to_string()
}

/// Every file under `dir` by its path inside it.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walk(dir) {
        let rel = entry
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        out.insert(rel, std::fs::read(&entry).unwrap());
    }
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Exports `store` into `root/name` and returns the folder.
fn export(store: &Store, root: &Path, name: &str) -> std::path::PathBuf {
    let dir = root.join(name);
    store.export_all(&dir).unwrap();
    dir
}

/// Export, import into an empty office, export again: the same files.
fn assert_round_trip(store: &Store) {
    let root = tempfile::tempdir().unwrap();
    let first = export(store, root.path(), "first");
    let mut empty = Store::open_in_memory().unwrap();
    let imported = empty.import_export(&first, today()).unwrap();
    assert!(imported.records > 0);
    let second = export(&empty, root.path(), "second");
    let (a, b) = (files(&first), files(&second));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs after the round trip");
    }
    // The restored office is whole: its history verifies and it finds what the first finds.
    let report = empty.verify_audit().unwrap();
    assert!(
        report.problem.is_none() && report.findings.is_empty(),
        "{report:?}"
    );
    for text in ["inventor", "Term sheet"] {
        assert_eq!(
            store.search_all(text, 20).unwrap().len(),
            empty.search_all(text, 20).unwrap().len(),
            "search for {text}"
        );
    }
}

#[test]
fn the_demo_office_exported_and_imported_exports_the_same_files() {
    let store = office(42, Language::En, 60, 48);
    assert_round_trip(&store);
}

#[test]
fn the_imported_office_has_the_same_monitor_figures_and_boards() {
    let store = office(7, Language::Nl, 40, 30);
    let root = tempfile::tempdir().unwrap();
    let dir = export(&store, root.path(), "e");
    let mut empty = Store::open_in_memory().unwrap();
    empty.import_export(&dir, today()).unwrap();
    assert_eq!(
        format!("{:?}", store.monitor_facts().unwrap()),
        format!("{:?}", empty.monitor_facts().unwrap())
    );
    for p in [
        Pipeline::Scouting,
        Pipeline::Licensing,
        Pipeline::Pps,
        Pipeline::SpinOffs,
    ] {
        assert_eq!(
            format!("{:?}", store.board(p).unwrap()),
            format!("{:?}", empty.board(p).unwrap()),
            "{p:?} board"
        );
    }
    assert_eq!(
        format!("{:?}", store.disclosure_board().unwrap()),
        format!("{:?}", empty.disclosure_board().unwrap())
    );
}

fn refused(dir: &Path) -> String {
    let mut empty = Store::open_in_memory().unwrap();
    let e = empty.import_export(dir, today()).unwrap_err();
    assert!(empty.is_empty().unwrap(), "nothing stays after {e}");
    e.to_string()
}

/// The export's JSON changed by `edit`.
fn with_json(dir: &Path, edit: impl FnOnce(&mut Json)) {
    let path = dir.join(EXPORT_JSON_NAME);
    let mut doc: Json = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    edit(&mut doc);
    std::fs::write(&path, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
}

#[test]
fn a_changed_or_hostile_export_is_refused_and_the_office_stays_empty() {
    let store = office(3, Language::En, 20, 12);
    let root = tempfile::tempdir().unwrap();
    let fresh = |name: &str| export(&store, root.path(), name);

    // A CSV file edited after the export: named with its line.
    let dir = fresh("csv");
    let path = dir.join("patents.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[2] = lines[2].replacen(',', ",X", 1);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let e = refused(&dir);
    assert!(e.contains("patents.csv line 3"), "{e}");

    // A table or a column this version does not know.
    let dir = fresh("table");
    with_json(&dir, |d| d["tables"]["evil"] = serde_json::json!([]));
    assert!(refused(&dir).contains("table `evil`"));
    let dir = fresh("column");
    with_json(&dir, |d| {
        d["tables"]["patents"][0]["x; DROP TABLE people"] = 1.into()
    });
    let e = refused(&dir);
    assert!(e.contains("the column `x; DROP TABLE people`"), "{e}");

    // A record the kind's rules refuse: named by file, record and field.
    let dir = fresh("invalid");
    with_json(&dir, |d| d["tables"]["patents"][0]["title"] = "".into());
    std::fs::remove_file(dir.join("patents.csv")).unwrap();
    let e = refused(&dir);
    assert!(
        e.contains("patents.csv, record") && e.contains("title"),
        "{e}"
    );

    // A link to a record that is not there, and inventors who are not in the export.
    let dir = fresh("link");
    with_json(&dir, |d| {
        d["tables"]["patents"][0]["disclosure_id"] = "01a24320-0000-7000-8000-000000000000".into();
    });
    std::fs::remove_file(dir.join("patents.csv")).unwrap();
    let e = refused(&dir);
    assert!(
        e.contains(
            "table `patents`, row 1: refers to a row of `disclosures` that is not in the export"
        ),
        "{e}"
    );
    let dir = fresh("inventors");
    with_json(&dir, |d| {
        d["tables"]["people"].as_array_mut().unwrap().clear()
    });
    let e = refused(&dir);
    assert!(
        e.contains("disclosures.csv, record") && e.contains("inventors"),
        "{e}"
    );

    // History edited after the export.
    let dir = fresh("history");
    with_json(&dir, |d| {
        d["tables"]["activities"][3]["actor"] = "Someone Else".into()
    });
    let e = refused(&dir);
    assert!(e.contains("history does not verify"), "{e}");

    // An attachment that is not the file its hash names, and values of the wrong shape.
    let dir = fresh("attachment");
    with_json(&dir, |d| {
        d["tables"]["attachment_content"][0]["content"] = "00ff".into()
    });
    assert!(refused(&dir).contains("IDF scan.pdf"));
    let dir = fresh("shape");
    with_json(&dir, |d| {
        d["tables"]["patents"][0]["title"] = serde_json::json!({"a": 1})
    });
    assert!(refused(&dir).contains("is a list or an object"));
    let dir = fresh("hex");
    with_json(&dir, |d| {
        d["tables"]["attachment_content"][0]["content"] = "zz".into()
    });
    assert!(refused(&dir).contains("not hexadecimal"));
    let dir = fresh("format");
    with_json(&dir, |d| d["format"] = "something-else".into());
    assert!(refused(&dir).contains("format `something-else`"));
    std::fs::remove_file(dir.join(EXPORT_JSON_NAME)).unwrap();
    assert!(refused(&dir).contains("holds no kto-desk-export.json"));
}

#[test]
fn an_export_is_imported_only_into_an_empty_office() {
    let store = office(5, Language::En, 10, 6);
    let root = tempfile::tempdir().unwrap();
    let dir = export(&store, root.path(), "e");
    let mut other = office(6, Language::En, 10, 6);
    let before = first_disclosure(&other);
    let e = other.import_export(&dir, today()).unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "{e}");
    assert!(e.to_string().contains("already holds records"));
    assert_eq!(first_disclosure(&other), before);
}

/// Text with the characters that CSV, JSON and spreadsheets treat specially.
fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!(
        "[a-zA-Z0-9 ,;\t\"'\\n=+@\\-éëü€ß日本()]{{1,{max}}}"
    ))
    .unwrap()
    .prop_map(|s| s.trim().to_string())
    .prop_filter("not blank", |s| !s.is_empty())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn any_office_exported_and_imported_exports_the_same_files(
        seed in any::<u64>(),
        dutch in any::<bool>(),
        people in 8usize..30,
        disclosures in 1usize..20,
        costs in prop::collection::vec((text(60), 0i64..10_000_000_000), 0..5),
        notes in prop::collection::vec(text(120), 0..4),
    ) {
        let language = if dutch { Language::Nl } else { Language::En };
        let mut store = office(seed, language, people, disclosures);
        for (description, amount) in costs {
            let values: Values = [
                ("description", Value::Text(description)),
                ("category", Value::Text("legal".into())),
                ("paidDate", Value::Text("2025-02-03".into())),
                ("amount", Value::Int(amount)),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
            let saved = store.create_record(&change(), K::Cost, &values).unwrap();
            for note in &notes {
                store.add_note(&change(), K::Cost, &saved.id, note).unwrap();
            }
        }
        assert_round_trip(&store);
    }
}
