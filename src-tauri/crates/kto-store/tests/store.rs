//! Store behaviour a user relies on, against real SQLite (in memory or a temp file).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{NaiveDate, TimeZone, Utc};
use kto_core::activity::{Action, Change};
use kto_core::disclosure::{
    validate, Decision, DisclosureInput, DisclosureQuery, DisclosureSort, DisclosureStage,
    InventorInput,
};
use kto_core::validation::Problem;
use kto_store::{Error, Store, LATEST_VERSION};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

fn change() -> Change {
    Change {
        actor: "Test User".into(),
        at: Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap(),
    }
}

fn inventor(name: &str, share_bp: u32) -> InventorInput {
    InventorInput {
        person_id: None,
        name: name.into(),
        organisation_id: None,
        share_bp,
    }
}

fn input(title: &str) -> DisclosureInput {
    DisclosureInput {
        reference: String::new(),
        title: title.into(),
        received_on: Some(NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()),
        faculty: "Science and Engineering".into(),
        trl: Some(3),
        stage: DisclosureStage::Received,
        decision: None,
        decided_on: None,
        summary: "A coating that repairs micro-cracks under sunlight.".into(),
        inventors: vec![
            inventor("Anouk Hoëk", 6_000),
            inventor("Bram Jansen", 4_000),
        ],
    }
}

fn create(store: &mut Store, title: &str) -> kto_core::disclosure::Disclosure {
    store
        .create_disclosure(&change(), &validate(&input(title), today()).unwrap())
        .unwrap()
}

#[test]
fn a_new_database_is_migrated_to_the_latest_schema() {
    let store = Store::open_in_memory().unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    assert!(store.is_empty().unwrap());
}

#[test]
fn a_file_database_keeps_its_records_across_reopening_and_uses_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(kto_store::DB_FILE_NAME);
    {
        let mut store = Store::open(&path).unwrap();
        create(&mut store, "Self-healing solar cell");
    }
    let store = Store::open(&path).unwrap();
    let page = store
        .list_disclosures(&DisclosureQuery {
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.rows.len(), 1);
    assert_eq!(page.rows[0].title, "Self-healing solar cell");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.sqlite3");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", LATEST_VERSION + 1)
        .unwrap();
    drop(conn);
    match Store::open(&path) {
        Err(Error::NewerSchema { found, supported }) => {
            assert_eq!((found, supported), (LATEST_VERSION + 1, LATEST_VERSION));
        }
        other => panic!("expected NewerSchema, got {:?}", other.err()),
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    let v: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, LATEST_VERSION + 1);
}

#[test]
fn another_applications_database_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite3");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    assert!(matches!(Store::open(&path), Err(Error::NotKtoDesk { .. })));
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(
        !dir.path().join("other.sqlite3-wal").exists(),
        "not switched to WAL"
    );
}

#[test]
fn a_damaged_file_is_reported_not_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(kto_store::DB_FILE_NAME);
    {
        let mut store = Store::open(&path).unwrap();
        for i in 0..200 {
            create(
                &mut store,
                &format!("Invention number {i} with a long enough title to fill pages"),
            );
        }
        store.integrity_check().unwrap();
    }
    // Checkpoint the WAL into the main file, then overwrite the middle of it.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 8192] {
        *b = 0x5A;
    }
    std::fs::write(&path, &bytes).unwrap();
    let before = std::fs::read(&path).unwrap();
    assert!(Store::open(&path).is_err());
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the damaged file must not be modified"
    );
}

#[test]
fn creating_a_disclosure_stores_new_inventors_and_its_history() {
    let mut store = Store::open_in_memory().unwrap();
    let d = create(&mut store, "Self-healing solar cell");
    assert_eq!(d.reference, "D-2026-0001");
    let names: Vec<_> = d
        .inventors
        .iter()
        .map(|i| (i.name.as_str(), i.share_bp))
        .collect();
    assert_eq!(names, vec![("Anouk Hoëk", 6_000), ("Bram Jansen", 4_000)]);
    assert_eq!(store.list_people("", 50).unwrap().len(), 2);
    let history = store.history(&d.id.to_string()).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].action, Action::Created);
    assert_eq!(history[0].actor, "Test User");
}

#[test]
fn references_are_numbered_per_year_and_must_be_unique() {
    let mut store = Store::open_in_memory().unwrap();
    create(&mut store, "First");
    assert_eq!(create(&mut store, "Second").reference, "D-2026-0002");
    let mut dup = input("Third");
    dup.reference = "D-2026-0001".into();
    match store.create_disclosure(&change(), &validate(&dup, today()).unwrap()) {
        Err(Error::Invalid(e)) => {
            assert_eq!(e.for_field("reference").next(), Some(&Problem::Taken))
        }
        other => panic!("expected a taken reference, got {other:?}"),
    }
    assert_eq!(
        store
            .list_disclosures(&DisclosureQuery {
                limit: 10,
                ..Default::default()
            })
            .unwrap()
            .total,
        Some(2)
    );
}

#[test]
fn the_next_reference_follows_the_highest_number_not_the_last_text() {
    let mut store = Store::open_in_memory().unwrap();
    for r in ["D-2026-9999", "D-2026-10000", "D-2026-0002"] {
        let mut i = input(r);
        i.reference = r.into();
        store
            .create_disclosure(&change(), &validate(&i, today()).unwrap())
            .unwrap();
    }
    assert_eq!(create(&mut store, "Next").reference, "D-2026-10001");
}

#[test]
fn an_existing_person_can_be_picked_as_inventor() {
    let mut store = Store::open_in_memory().unwrap();
    let first = create(&mut store, "First");
    let anouk = first.inventors[0].person_id;
    let mut second = input("Second");
    second.inventors = vec![InventorInput {
        person_id: Some(anouk),
        name: String::new(),
        organisation_id: None,
        share_bp: 10_000,
    }];
    let d = store
        .create_disclosure(&change(), &validate(&second, today()).unwrap())
        .unwrap();
    assert_eq!(d.inventors[0].name, "Anouk Hoëk");
    assert_eq!(
        store.list_people("", 50).unwrap().len(),
        2,
        "no duplicate person is made"
    );
}

#[test]
fn an_edit_records_each_changed_field_and_the_stage_change() {
    let mut store = Store::open_in_memory().unwrap();
    let d = create(&mut store, "Self-healing solar cell");
    let mut edit = input("Self-healing perovskite solar cell");
    edit.stage = DisclosureStage::Decided;
    edit.decision = Some(Decision::Protect);
    edit.decided_on = Some(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());
    let later = Change {
        actor: "Other User".into(),
        at: Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap(),
    };
    let saved = store
        .update_disclosure(&later, d.id, &validate(&edit, today()).unwrap())
        .unwrap();
    assert_eq!(
        saved.reference, d.reference,
        "an empty reference keeps the old one"
    );
    assert_eq!(saved.stage, DisclosureStage::Decided);
    let history = store.history(&d.id.to_string()).unwrap();
    let fields: Vec<_> = history.iter().filter_map(|a| a.field.clone()).collect();
    assert_eq!(fields.len(), 4, "{fields:?}");
    for f in ["title", "stage", "decision", "decidedOn"] {
        assert!(fields.iter().any(|x| x == f), "{f} missing from {fields:?}");
    }
    let stage = history
        .iter()
        .find(|a| a.action == Action::StageChanged)
        .unwrap();
    assert_eq!(
        (stage.old_value.as_deref(), stage.new_value.as_deref()),
        (Some("received"), Some("decided"))
    );
    assert_eq!(stage.actor, "Other User");
}

#[test]
fn an_edit_that_changes_nothing_writes_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let d = create(&mut store, "Same");
    let again = store
        .update_disclosure(&change(), d.id, &validate(&input("Same"), today()).unwrap())
        .unwrap();
    assert_eq!(again.updated_at, d.updated_at);
    assert_eq!(store.history(&d.id.to_string()).unwrap().len(), 1);
}

#[test]
fn a_failed_save_leaves_nothing_half_written() {
    let mut store = Store::open_in_memory().unwrap();
    create(&mut store, "First");
    let people_before = store.list_people("", 50).unwrap().len();
    let mut bad = input("Second");
    bad.reference = "D-2026-0001".into();
    bad.inventors = vec![inventor("Nieuwe Uitvinder", 10_000)];
    assert!(store
        .create_disclosure(&change(), &validate(&bad, today()).unwrap())
        .is_err());
    assert_eq!(store.list_people("", 50).unwrap().len(), people_before);
}

#[test]
fn the_history_cannot_be_rewritten() {
    // The store offers no way to edit history; even plain SQL on the file is refused.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.sqlite3");
    let mut store = Store::open(&path).unwrap();
    create(&mut store, "First");
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert!(conn
        .execute("UPDATE activities SET actor = 'someone else'", [])
        .is_err());
    assert!(conn.execute("DELETE FROM activities", []).is_err());
}

#[test]
fn pages_by_key_visit_every_row_once_in_both_directions_and_every_sort() {
    let mut store = Store::open_in_memory().unwrap();
    for i in 0..57 {
        let mut inp = input(&format!("Invention {:02}", (i * 37) % 57));
        inp.trl = Some(1 + (i % 9));
        inp.faculty = ["Medical", "Science", "Arts"][i as usize % 3].into();
        store
            .create_disclosure(&change(), &validate(&inp, today()).unwrap())
            .unwrap();
    }
    for sort in [
        DisclosureSort::Reference,
        DisclosureSort::Title,
        DisclosureSort::ReceivedOn,
        DisclosureSort::Faculty,
        DisclosureSort::Trl,
        DisclosureSort::Stage,
    ] {
        for descending in [false, true] {
            let mut q = DisclosureQuery {
                sort,
                descending,
                limit: 10,
                ..Default::default()
            };
            let mut seen = Vec::new();
            loop {
                let page = store.list_disclosures(&q).unwrap();
                seen.extend(
                    page.rows
                        .iter()
                        .map(|r| (r.title.clone(), r.trl, r.faculty.clone(), r.id)),
                );
                match page.next {
                    Some(n) => q.after = Some(n),
                    None => break,
                }
            }
            assert_eq!(seen.len(), 57, "{sort:?} {descending}");
            let ids: std::collections::HashSet<_> = seen.iter().map(|s| s.3).collect();
            assert_eq!(ids.len(), 57);
            if sort == DisclosureSort::Title {
                let titles: Vec<_> = seen.iter().map(|s| s.0.clone()).collect();
                let mut sorted = titles.clone();
                sorted.sort();
                if descending {
                    sorted.reverse();
                }
                assert_eq!(titles, sorted);
            }
            if sort == DisclosureSort::Trl {
                let trls: Vec<_> = seen.iter().map(|s| s.1).collect();
                assert!(trls.windows(2).all(|w| if descending {
                    w[0] >= w[1]
                } else {
                    w[0] <= w[1]
                }));
            }
        }
    }
}

#[test]
fn search_finds_by_title_summary_and_inventor_prefix_ignoring_accents() {
    let mut store = Store::open_in_memory().unwrap();
    create(&mut store, "Self-healing solar cell");
    let mut other = input("Nitrate sensor");
    other.summary = "Measures surface water.".into();
    other.inventors = vec![inventor("Pieter Visser", 10_000)];
    store
        .create_disclosure(&change(), &validate(&other, today()).unwrap())
        .unwrap();
    let find = |s: &str| {
        store
            .list_disclosures(&DisclosureQuery {
                search: Some(s.into()),
                limit: 50,
                ..Default::default()
            })
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.title)
            .collect::<Vec<_>>()
    };
    assert_eq!(find("solar"), vec!["Self-healing solar cell"]);
    assert_eq!(
        find("hoek"),
        vec!["Self-healing solar cell"],
        "diacritics are folded"
    );
    assert_eq!(
        find("vi"),
        vec!["Nitrate sensor"],
        "two-letter prefix of an inventor"
    );
    assert_eq!(
        find("surface wat"),
        vec!["Nitrate sensor"],
        "summary words, all must match"
    );
    assert!(find("solar nitrate").is_empty());
    assert!(find("\"(").is_empty());
}

#[test]
fn the_demo_office_loads_once_and_is_sound() {
    let mut store = Store::open_in_memory().unwrap();
    let office = kto_core::demo::office(42, today(), 60, 48);
    let counts = store.load_demo(&office, today(), "Demo").unwrap();
    assert_eq!(counts.disclosures, 48);
    store.integrity_check().unwrap();
    let page = store
        .list_disclosures(&DisclosureQuery {
            limit: 100,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.total, Some(48));
    assert!(page
        .rows
        .iter()
        .any(|r| r.stage == DisclosureStage::Decided));
    assert!(matches!(
        store.load_demo(&office, today(), "Demo"),
        Err(Error::Conflict(_))
    ));
}

#[test]
fn settings_keep_language_and_user_name() {
    let mut store = Store::open_in_memory().unwrap();
    let s = store.settings("jdoe").unwrap();
    assert_eq!(s.user_name, "jdoe");
    store
        .save_settings(&kto_core::settings::Settings {
            language: kto_core::settings::Language::Nl,
            user_name: " Eva ".into(),
        })
        .unwrap();
    let s = store.settings("jdoe").unwrap();
    assert_eq!(
        (s.language, s.user_name.as_str()),
        (kto_core::settings::Language::Nl, "Eva")
    );
    assert!(store
        .save_settings(&kto_core::settings::Settings {
            language: kto_core::settings::Language::En,
            user_name: "  ".into()
        })
        .is_err());
}

#[test]
fn a_broad_search_pages_by_key_like_the_plain_list() {
    // Over 1,500 matches the store walks the sort index instead of sorting the matches.
    let mut store = Store::open_in_memory().unwrap();
    let office = kto_core::demo::office(11, today(), 80, 1_600);
    store.load_demo(&office, today(), "Demo").unwrap();
    let all = |search: Option<&str>| {
        let mut q = DisclosureQuery {
            sort: DisclosureSort::Title,
            search: search.map(str::to_string),
            limit: 300,
            ..Default::default()
        };
        let mut ids = Vec::new();
        let mut total = None;
        loop {
            let page = store.list_disclosures(&q).unwrap();
            total = total.or(page.total);
            ids.extend(page.rows.into_iter().map(|r| r.id));
            match page.next {
                Some(n) => q.after = Some(n),
                None => break,
            }
        }
        (ids, total)
    };
    let (plain, plain_total) = all(None);
    // Every demo summary says "the inventors report ...".
    let (searched, searched_total) = all(Some("inventors report"));
    assert_eq!(plain_total, Some(1_600));
    assert_eq!(searched_total, Some(1_600));
    assert_eq!(searched, plain);
}

#[test]
fn a_database_of_schema_1_migrates_with_its_records_and_history_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(kto_store::DB_FILE_NAME);
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/schema-0001.sqlite3"
        ),
        &path,
    )
    .unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    store.integrity_check().unwrap();
    let page = store
        .list_disclosures(&DisclosureQuery {
            search: Some("hoek".into()),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.rows.len(), 1);
    let d = store.disclosure(page.rows[0].id).unwrap();
    assert_eq!(
        (d.reference.as_str(), d.inventors[0].name.as_str()),
        ("D-2024-0001", "Anouk Hoëk")
    );
    assert_eq!(store.history(&d.id.to_string()).unwrap().len(), 2);
    assert_eq!(
        store.settings("x").unwrap().language,
        kto_core::settings::Language::Nl
    );
    let board = store
        .board(kto_core::pipeline::Pipeline::Licensing)
        .unwrap();
    assert_eq!(
        board.columns.len(),
        6,
        "the new schema brings the default stages"
    );
}

mod deals {
    use super::*;
    use kto_core::money::Money;
    use kto_core::pipeline::{DealInput, Outcome, Pipeline};

    fn deal(title: &str) -> DealInput {
        DealInput {
            pipeline: Pipeline::Licensing,
            title: title.into(),
            stage_id: "licensing:marketing".into(),
            organisation_id: None,
            value: Some(Money::from_euros(40_000)),
            owner: "Eva".into(),
            next_action: "Send the draft licence".into(),
            next_action_due: NaiveDate::from_ymd_opt(2026, 12, 4),
            lost_reason: String::new(),
            notes: String::new(),
        }
    }

    #[test]
    fn a_board_shows_each_stage_with_its_count_and_total_value() {
        let mut store = Store::open_in_memory().unwrap();
        store.create_deal(&change(), &deal("Licence A")).unwrap();
        store.create_deal(&change(), &deal("Licence B")).unwrap();
        let board = store.board(Pipeline::Licensing).unwrap();
        let codes: Vec<_> = board
            .columns
            .iter()
            .map(|c| c.stage.code.clone().unwrap())
            .collect();
        assert_eq!(
            codes,
            [
                "marketing",
                "interest",
                "negotiation",
                "term_sheet",
                "signed",
                "lost"
            ]
        );
        let first = &board.columns[0];
        assert_eq!((first.count, first.total), (2, Money::from_euros(80_000)));
        assert_eq!(
            first.cards[0].title, "Licence B",
            "the newest card is on top"
        );
    }

    #[test]
    fn moving_a_deal_records_the_stage_change_by_name() {
        let mut store = Store::open_in_memory().unwrap();
        let d = store.create_deal(&change(), &deal("Licence A")).unwrap();
        store
            .rename_stage("licensing:negotiation", "Onderhandeling")
            .unwrap();
        let moved = store
            .move_deal(&change(), d.id, "licensing:negotiation", "")
            .unwrap();
        assert_eq!(moved.stage_id, "licensing:negotiation");
        let h = store.history(&d.id.to_string()).unwrap();
        let m = h.iter().find(|a| a.action == Action::StageChanged).unwrap();
        assert_eq!(
            (m.old_value.as_deref(), m.new_value.as_deref()),
            (Some("marketing"), Some("Onderhandeling"))
        );
    }

    #[test]
    fn a_deal_cannot_be_lost_without_a_reason_and_nothing_changes() {
        let mut store = Store::open_in_memory().unwrap();
        let d = store.create_deal(&change(), &deal("Licence A")).unwrap();
        match store.move_deal(&change(), d.id, "licensing:lost", "  ") {
            Err(Error::Invalid(e)) => assert_eq!(
                e.for_field("lostReason").next(),
                Some(&Problem::ReasonRequired)
            ),
            other => panic!("expected a missing reason, got {other:?}"),
        }
        assert_eq!(store.deal(d.id).unwrap().stage_id, "licensing:marketing");
        let lost = store
            .move_deal(&change(), d.id, "licensing:lost", "Chose a competitor")
            .unwrap();
        assert_eq!(lost.lost_reason.as_deref(), Some("Chose a competitor"));
    }

    #[test]
    fn a_stage_of_another_pipeline_is_refused() {
        let mut store = Store::open_in_memory().unwrap();
        let d = store.create_deal(&change(), &deal("Licence A")).unwrap();
        assert!(matches!(
            store.move_deal(&change(), d.id, "pps:idea", ""),
            Err(Error::Invalid(_))
        ));
        assert!(matches!(
            store.move_deal(&change(), d.id, "no-such-stage", ""),
            Err(Error::Invalid(_))
        ));
    }

    #[test]
    fn an_office_renames_adds_and_reorders_stages_without_losing_deals() {
        let mut store = Store::open_in_memory().unwrap();
        let d = store.create_deal(&change(), &deal("Licence A")).unwrap();
        let added = store
            .add_stage(Pipeline::Licensing, "Due diligence", Outcome::Open)
            .unwrap();
        let mut ids: Vec<String> = store
            .stages(Pipeline::Licensing)
            .unwrap()
            .into_iter()
            .map(|s| s.id)
            .collect();
        ids.retain(|i| i != &added.id);
        ids.insert(3, added.id.clone());
        let stages = store.reorder_stages(Pipeline::Licensing, &ids).unwrap();
        assert_eq!(stages[3].name, "Due diligence");
        assert!(
            store
                .reorder_stages(Pipeline::Licensing, &ids[1..])
                .is_err(),
            "every stage must be listed"
        );
        store.move_deal(&change(), d.id, &added.id, "").unwrap();
        assert_eq!(
            store.board(Pipeline::Licensing).unwrap().columns[3].count,
            1
        );
    }

    #[test]
    fn the_week_lists_overdue_and_upcoming_actions_of_open_deals_only() {
        let mut store = Store::open_in_memory().unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        for (title, due) in [("late", 20), ("today", 27), ("soon", 29), ("far", 30)] {
            let mut i = deal(title);
            i.next_action_due = Some(day(due));
            store.create_deal(&change(), &i).unwrap();
        }
        let mut won = deal("signed already");
        won.stage_id = "licensing:signed".into();
        won.next_action_due = Some(day(21));
        store.create_deal(&change(), &won).unwrap();
        let week = store.week(day(27), day(29)).unwrap();
        let titles = |v: &[kto_core::pipeline::NextAction]| {
            v.iter().map(|a| a.title.clone()).collect::<Vec<_>>()
        };
        assert_eq!(titles(&week.overdue), ["late"]);
        assert_eq!(titles(&week.upcoming), ["today", "soon"]);
        let marketing = week
            .stages
            .iter()
            .find(|s| s.stage.id == "licensing:marketing")
            .unwrap();
        assert_eq!(
            (marketing.count, marketing.total),
            (4, Money::from_euros(160_000))
        );
        assert_eq!(week.stages.len(), 35, "every stage of the five pipelines");
    }

    #[test]
    fn global_search_finds_a_consortium_by_a_word_in_its_notes_grouped_by_kind() {
        let mut store = Store::open_in_memory().unwrap();
        let mut consortium = deal("Horizon Europe: rare-earth recycling");
        consortium.pipeline = Pipeline::Pps;
        consortium.stage_id = "pps:idea".into();
        consortium.notes = "Coordinator wants a magnetocaloric work package.".into();
        store.create_deal(&change(), &consortium).unwrap();
        create(&mut store, "Magnetic sensor");
        let hits = store.search_all("magneto", 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].kind, kto_core::activity::RecordKind::Deal);
        assert_eq!(hits[0].pipeline, Some(Pipeline::Pps));
        assert!(
            hits[0].snippet.contains("magnetocaloric"),
            "{}",
            hits[0].snippet
        );
        let kinds: Vec<_> = store
            .search_all("magn", 10)
            .unwrap()
            .into_iter()
            .map(|h| h.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                kto_core::activity::RecordKind::Disclosure,
                kto_core::activity::RecordKind::Deal
            ]
        );
        assert!(store.search_all("\"(*", 10).unwrap().is_empty());
    }

    #[test]
    fn the_demo_office_fills_every_board() {
        let mut store = Store::open_in_memory().unwrap();
        let office = kto_core::demo::office(42, today(), 60, 20);
        store.load_demo(&office, today(), "Demo").unwrap();
        for p in Pipeline::ALL {
            let board = store.board(p).unwrap();
            assert!(
                board.columns.iter().map(|c| c.count).sum::<u64>() > 0,
                "{p:?}"
            );
            for col in board
                .columns
                .iter()
                .filter(|c| c.stage.outcome == Outcome::Lost)
            {
                for card in &col.cards {
                    assert!(store.deal(card.id).unwrap().lost_reason.is_some());
                }
            }
        }
    }
}
