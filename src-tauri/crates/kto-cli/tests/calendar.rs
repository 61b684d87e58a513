//! `kto calendar` run as a user would, its file read back by an independent iCalendar
//! parser (the `icalendar` crate) as a calendar program would read it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::str::FromStr;

use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime, EventLike};
use kto_core::settings::Language;

mod common;

use common::{kto, ok, stderr, stdout};

/// A demo office in a fresh folder.
fn office() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kto-desk.sqlite3");
    ok(kto()
        .arg("--db")
        .arg(&db)
        .args(["demo", "--people", "12", "--disclosures", "6"])
        .output()
        .unwrap());
    (dir, db)
}

fn calendar(db: &Path, out: &Path, args: &[&str]) -> Output {
    kto()
        .arg("--db")
        .arg(db)
        .arg("calendar")
        .arg("--out")
        .arg(out)
        .args(args)
        .output()
        .unwrap()
}

fn fails(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(1), "stdout: {}", stdout(out));
    let err = stderr(out);
    assert!(err.starts_with("kto: "), "{err}");
    err
}

/// What the store says the calendar holds, as the events the file should have: UID →
/// (date, summary, description, categories).
type Expected = BTreeMap<String, (chrono::NaiveDate, String, String, Vec<String>)>;

fn expected(db: &Path, person: Option<&str>, lang: Language) -> Expected {
    let store = kto_store::Store::open(db).unwrap();
    let items = store
        .calendar_items(chrono::Local::now().date_naive(), person)
        .unwrap();
    kto_core::calendar::calendar_of(&items, lang)
        .events
        .into_iter()
        .map(|e| (e.uid, (e.date, e.summary, e.description, e.categories)))
        .collect()
}

/// The events of `file` as the parser reads them, by UID.
fn parsed(file: &Path) -> (Calendar, Expected) {
    let text = std::fs::read_to_string(file).unwrap();
    let cal = Calendar::from_str(&text).unwrap();
    let mut events = BTreeMap::new();
    for c in &cal.components {
        let CalendarComponent::Event(e) = c else {
            panic!("only events are expected: {c:?}");
        };
        let Some(DatePerhapsTime::Date(start)) = e.get_start() else {
            panic!("an all-day date: {:?}", e.get_start());
        };
        let Some(DatePerhapsTime::Date(end)) = e.get_end() else {
            panic!("an all-day end: {:?}", e.get_end());
        };
        assert_eq!(end, start.succ_opt().unwrap(), "one day long");
        let uid = e.get_uid().unwrap().to_owned();
        let previous = events.insert(
            uid.clone(),
            (
                start,
                e.get_summary().unwrap().to_owned(),
                e.get_description().unwrap().to_owned(),
                e.get_categories().unwrap(),
            ),
        );
        assert!(previous.is_none(), "UID {uid} twice");
    }
    (cal, events)
}

#[test]
fn the_office_calendar_reads_back_with_every_event_uid_date_and_summary() {
    let (dir, db) = office();
    let file = dir.path().join("office.ics");
    let out = ok(calendar(&db, &file, &["--lang", "en"]));
    assert!(out.contains("calendar written to"), "{out}");
    assert!(out.contains("for the whole office"), "{out}");

    let (cal, events) = parsed(&file);
    let want = expected(&db, None, Language::En);
    assert!(!want.is_empty());
    assert_eq!(events, want);
    assert!(out.contains(&format!("{} events", want.len())), "{out}");
    assert_eq!(cal.get_name(), Some("KTO Desk: office deadlines"));
    assert_eq!(cal.property_value("VERSION"), Some("2.0"));
    assert_eq!(cal.property_value("METHOD"), Some("PUBLISH"));
    assert_eq!(cal.property_value("CALSCALE"), Some("GREGORIAN"));

    // The demo office's patents give deadlines; each of them reminds two weeks ahead.
    let text = std::fs::read_to_string(&file).unwrap();
    let unfolded = icalendar::parser::unfold(&text);
    let raw = icalendar::parser::read_calendar(&unfolded).unwrap();
    let patent_events: Vec<_> = raw
        .components
        .iter()
        .filter(|c| {
            c.properties
                .iter()
                .any(|p| p.name == "UID" && p.val.as_str().starts_with("patent-"))
        })
        .collect();
    assert!(!patent_events.is_empty(), "{text}");
    for e in patent_events {
        let alarm = e.components.iter().find(|c| c.name == "VALARM").unwrap();
        let trigger = alarm
            .properties
            .iter()
            .find(|p| p.name == "TRIGGER")
            .unwrap();
        assert_eq!(trigger.val.as_str(), "-P14D");
    }
    for line in text.split_terminator("\r\n") {
        assert!(line.len() <= 75, "{line:?}");
        assert!(!line.contains('\n'), "{line:?}");
    }
    assert!(text.ends_with("END:VCALENDAR\r\n"));
}

#[test]
fn a_second_export_has_the_same_uids_and_an_existing_file_is_never_overwritten() {
    let (dir, db) = office();
    let first = dir.path().join("first.ics");
    let second = dir.path().join("second.ics");
    ok(calendar(&db, &first, &[]));
    ok(calendar(&db, &second, &[]));
    let uids = |f: &Path| parsed(f).1.into_keys().collect::<Vec<_>>();
    assert_eq!(uids(&first), uids(&second));

    let before = std::fs::read(&first).unwrap();
    let err = fails(&calendar(&db, &first, &[]));
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read(&first).unwrap(), before);
}

#[test]
fn a_persons_calendar_in_dutch_holds_only_their_deals_next_actions() {
    let (dir, db) = office();
    let file = dir.path().join("eva.ics");
    let out = ok(calendar(
        &db,
        &file,
        &["--person", "eva smit", "--lang", "nl"],
    ));
    assert!(out.contains("for Eva Smit"), "{out}");
    let (cal, events) = parsed(&file);
    assert_eq!(cal.get_name(), Some("KTO Desk: termijnen van Eva Smit"));
    assert_eq!(events, expected(&db, Some("Eva Smit"), Language::Nl));
    let office = expected(&db, None, Language::Nl);
    assert!(events.len() < office.len());
    for (uid, (_, summary, description, categories)) in &events {
        if uid.starts_with("deal-") {
            assert!(summary.starts_with("Volgende actie: "), "{summary}");
            assert!(
                description.contains("Verantwoordelijk: Eva Smit"),
                "{description}"
            );
            assert_eq!(categories, &["KTO Desk", "Volgende actie"]);
        }
    }
}

#[test]
fn an_unknown_person_is_refused_naming_the_responsible_people_and_nothing_is_written() {
    let (dir, db) = office();
    let file = dir.path().join("nobody.ics");
    let err = fails(&calendar(&db, &file, &["--person", "Nobody"]));
    assert!(err.contains("“Nobody”"), "{err}");
    assert!(err.contains("Eva Smit"), "{err}");
    assert!(!file.exists());
}
