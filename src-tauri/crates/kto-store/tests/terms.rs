//! Spin-off terms, office reference sets and learning progress, against real SQLite.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};
use kto_core::activity::{Action, Change, RecordKind};
use kto_core::money::Money;
use kto_core::record::{Value, Values};
use kto_core::terms::captable::{Allocation, Holder, HolderId, HolderKind, Investment, Round};
use kto_core::terms::deal::{AntiDilution, DealForm, DealTerms, Milestone, TermKey};
use kto_core::terms::reference::{ReferenceSet, ReferenceSetId, TermRange};
use kto_store::{CapTablePlan, Error, LessonProgress, SpinOffTerms, Store};

fn change() -> Change {
    Change {
        actor: "Test User".into(),
        at: Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap(),
    }
}

fn spin_off(store: &mut Store, name: &str) -> String {
    let mut values = Values::new();
    values.insert("name".into(), Value::Text(name.into()));
    values.insert("status".into(), Value::Text("active".into()));
    store
        .create_record(&change(), RecordKind::SpinOff, &values)
        .unwrap()
        .id
}

fn terms() -> DealTerms {
    DealTerms {
        form: Some(DealForm::Hybrid),
        university_equity_bp: Some(800),
        royalty_rate_bp: Some(300),
        anti_dilution: Some(AntiDilution::None),
        milestones: vec![Milestone {
            description: "First paying customer".into(),
            amount: Money::from_euros(10_000),
            due: None,
        }],
        ..DealTerms::default()
    }
}

fn holder(id: &str, kind: HolderKind) -> Holder {
    Holder {
        id: HolderId(id.into()),
        name: id.into(),
        kind,
    }
}

fn plan() -> CapTablePlan {
    CapTablePlan {
        founding: vec![
            Allocation {
                holder: holder("founders", HolderKind::Founder),
                shares: 9_000,
            },
            Allocation {
                holder: holder("university", HolderKind::University),
                shares: 1_000,
            },
        ],
        rounds: vec![Round {
            name: "Seed".into(),
            date: None,
            pre_money: Money::from_euros(2_000_000),
            new_holders: vec![holder("angel", HolderKind::Investor)],
            investments: vec![Investment {
                investor: HolderId("angel".into()),
                amount: Money::from_euros(500_000),
                anti_dilution: AntiDilution::BroadBasedWeightedAverage,
                ..Investment::default()
            }],
            pool_top_up: None,
            ..Round::default()
        }],
    }
}

#[test]
fn a_spin_off_without_saved_terms_reads_as_open_terms() {
    let mut store = Store::open_in_memory().unwrap();
    let id = spin_off(&mut store, "Qubit BV");
    let read = store.spin_off_terms(&id).unwrap();
    assert_eq!(read.terms, DealTerms::default());
    assert_eq!(read.updated_at, None);
    assert!(read.cap_table.is_none());
}

#[test]
fn terms_and_cap_table_round_trip_and_each_changed_term_enters_the_history() {
    let mut store = Store::open_in_memory().unwrap();
    let id = spin_off(&mut store, "Qubit BV");
    let input = SpinOffTerms {
        spin_off_id: id.clone(),
        terms: terms(),
        cap_table: Some(plan()),
        reference_set_id: Some("usit-software-2024".into()),
        updated_at: None,
    };
    let saved = store.save_spin_off_terms(&change(), &input).unwrap();
    assert_eq!(saved.terms, terms());
    assert_eq!(saved.cap_table, Some(plan()));
    assert_eq!(
        saved.reference_set_id.as_deref(),
        Some("usit-software-2024")
    );
    assert_eq!(saved.updated_at, Some(change().at));
    assert_eq!(store.spin_off_terms(&id).unwrap(), saved);

    let mut next = input.clone();
    next.terms.university_equity_bp = Some(1_200);
    next.terms.royalty_rate_bp = None;
    store.save_spin_off_terms(&change(), &next).unwrap();
    let history = store.history(&id).unwrap();
    let fields: Vec<(&str, Option<&str>, Option<&str>)> = history
        .iter()
        .filter(|a| a.action == Action::Updated)
        .map(|a| {
            (
                a.field.as_deref().unwrap_or(""),
                a.old_value.as_deref(),
                a.new_value.as_deref(),
            )
        })
        .collect();
    assert!(fields.contains(&("terms.universityEquityBp", Some("800"), Some("1200"))));
    assert!(fields.contains(&("terms.royaltyRateBp", Some("300"), None)));
    // The form was set once and then left alone: one entry, from nothing to hybrid.
    let form: Vec<_> = fields.iter().filter(|f| f.0 == "terms.form").collect();
    assert_eq!(form, [&("terms.form", None, Some("\"hybrid\""))]);
}

#[test]
fn a_changed_cap_table_enters_the_history_once_as_its_holders_and_rounds() {
    let mut store = Store::open_in_memory().unwrap();
    let id = spin_off(&mut store, "Qubit BV");
    let input = SpinOffTerms {
        spin_off_id: id.clone(),
        terms: terms(),
        cap_table: Some(plan()),
        reference_set_id: None,
        updated_at: None,
    };
    store.save_spin_off_terms(&change(), &input).unwrap();
    // Saving the same cap table again changes nothing, so it adds no entry.
    store.save_spin_off_terms(&change(), &input).unwrap();
    let mut fewer = input.clone();
    fewer.cap_table = Some(CapTablePlan {
        rounds: vec![],
        ..plan()
    });
    store.save_spin_off_terms(&change(), &fewer).unwrap();
    let mut none = fewer.clone();
    none.cap_table = None;
    store.save_spin_off_terms(&change(), &none).unwrap();

    let entries: Vec<(Option<String>, Option<String>)> = store
        .history(&id)
        .unwrap()
        .into_iter()
        .filter(|a| a.field.as_deref() == Some("terms.capTable"))
        .map(|a| (a.old_value, a.new_value))
        .collect();
    let with_seed = "founders: 9000, university: 1000; Seed".to_owned();
    let without = "founders: 9000, university: 1000".to_owned();
    let mut expected = vec![
        (None, Some(with_seed.clone())),
        (Some(with_seed), Some(without.clone())),
        (Some(without), None),
    ];
    // The history lists the latest change first.
    expected.reverse();
    assert_eq!(entries, expected);
}

#[test]
fn terms_of_an_unknown_spin_off_are_not_found_and_impossible_terms_are_refused() {
    let mut store = Store::open_in_memory().unwrap();
    assert!(matches!(
        store.spin_off_terms("nope"),
        Err(Error::NotFound { .. })
    ));
    let id = spin_off(&mut store, "Qubit BV");
    let bad = SpinOffTerms {
        spin_off_id: id.clone(),
        terms: DealTerms {
            royalty_rate_bp: Some(10_001),
            ..DealTerms::default()
        },
        cap_table: None,
        reference_set_id: None,
        updated_at: None,
    };
    assert!(matches!(
        store.save_spin_off_terms(&change(), &bad),
        Err(Error::Invalid(_))
    ));
    assert_eq!(store.spin_off_terms(&id).unwrap().updated_at, None);
}

#[test]
fn deleting_a_spin_off_deletes_its_terms() {
    let mut store = Store::open_in_memory().unwrap();
    let id = spin_off(&mut store, "Qubit BV");
    let input = SpinOffTerms {
        spin_off_id: id.clone(),
        terms: terms(),
        cap_table: None,
        reference_set_id: None,
        updated_at: None,
    };
    store.save_spin_off_terms(&change(), &input).unwrap();
    store
        .delete_record(&change(), RecordKind::SpinOff, &id, true)
        .unwrap();
    assert!(matches!(
        store.spin_off_terms(&id),
        Err(Error::NotFound { .. })
    ));
    // The row went with it: a new spin-off never sees stale terms.
    let other = spin_off(&mut store, "Other BV");
    assert_eq!(
        store.spin_off_terms(&other).unwrap().terms,
        DealTerms::default()
    );
}

fn office_set(id: &str, name: &str, max: i64) -> ReferenceSet {
    ReferenceSet {
        id: ReferenceSetId(id.into()),
        name: name.into(),
        source: "Holding policy, board decision".into(),
        source_date: Some("2026-01".into()),
        notes: vec![],
        ranges: vec![TermRange {
            term: TermKey::UniversityEquity,
            applies_to: None,
            min: Some(0),
            max: Some(max),
            note: "at most".into(),
            section: String::new(),
        }],
    }
}

#[test]
fn office_reference_sets_are_added_replaced_listed_by_name_and_deleted() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .save_office_reference_set(&change(), &office_set("holding-b", "B policy", 1_000))
        .unwrap();
    store
        .save_office_reference_set(&change(), &office_set("holding-a", "A policy", 1_500))
        .unwrap();
    store
        .save_office_reference_set(&change(), &office_set("holding-b", "B policy", 900))
        .unwrap();
    let sets = store.office_reference_sets().unwrap();
    assert_eq!(sets.len(), 2);
    assert_eq!(sets[0].id.0, "holding-a");
    assert_eq!(sets[1].ranges[0].max, Some(900));
    store.delete_office_reference_set("holding-a").unwrap();
    assert_eq!(store.office_reference_sets().unwrap().len(), 1);
    assert!(matches!(
        store.delete_office_reference_set("holding-a"),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn an_office_set_without_a_source_is_refused() {
    let mut store = Store::open_in_memory().unwrap();
    let mut set = office_set("x", "X", 100);
    set.source = " ".into();
    assert!(matches!(
        store.save_office_reference_set(&change(), &set),
        Err(Error::Invalid(_))
    ));
    assert!(store.office_reference_sets().unwrap().is_empty());
}

#[test]
fn lesson_progress_is_kept_per_lesson_and_replaced_on_save() {
    let mut store = Store::open_in_memory().unwrap();
    assert!(store.learning_progress().unwrap().is_empty());
    let mut answers = BTreeMap::new();
    answers.insert("q1".to_owned(), 2);
    let progress = LessonProgress {
        lesson_id: "dilution".into(),
        answers,
        completed: false,
        updated_at: None,
    };
    store.save_lesson_progress(&progress, change().at).unwrap();
    let mut done = progress.clone();
    done.answers.insert("q2".into(), 0);
    done.completed = true;
    store.save_lesson_progress(&done, change().at).unwrap();
    let all = store.learning_progress().unwrap();
    assert_eq!(all.len(), 1);
    assert!(all[0].completed);
    assert_eq!(all[0].answers.get("q2"), Some(&0));
    assert_eq!(all[0].updated_at, Some(change().at));

    let empty = LessonProgress {
        lesson_id: "  ".into(),
        answers: BTreeMap::new(),
        completed: false,
        updated_at: None,
    };
    assert!(matches!(
        store.save_lesson_progress(&empty, change().at),
        Err(Error::Invalid(_))
    ));
}

#[test]
fn a_cap_table_saved_by_an_earlier_release_still_reads_with_its_old_meaning() {
    // The JSON the release with migration 0005 wrote: rounds without preference terms,
    // pool timing, weighted-average base or rounding; a pool topped up before the money.
    const SAVED: &str = r#"{"founding":[
        {"holder":{"id":"founders","name":"Founders","kind":"founder"},"shares":9000},
        {"holder":{"id":"pool","name":"Pool","kind":"optionPool"},"shares":1000}],
      "rounds":[{"name":"Seed","date":"2026-05-01","preMoney":200000000,
        "newHolders":[{"id":"angel","name":"Angel","kind":"investor"}],
        "investments":[{"investor":"angel","amount":50000000,"antiDilution":"broadBasedWeightedAverage"}],
        "poolTopUp":{"pool":"pool","targetBp":1500}}]}"#;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kto.sqlite3");
    let id = {
        let mut store = Store::open(&path).unwrap();
        spin_off(&mut store, "Qubit BV")
    };
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute(
            "INSERT INTO spin_off_terms VALUES (?1, '{}', ?2, NULL, ?3, ?3)",
            rusqlite::params![id, SAVED, "2026-05-01T09:00:00.000Z"],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let plan = store.spin_off_terms(&id).unwrap().cap_table.unwrap();
    let round = &plan.rounds[0];
    assert_eq!(round.preference.multiple_bp, 10_000);
    assert_eq!(
        round.preference.participation,
        kto_core::terms::captable::Participation::NonParticipating
    );
    assert_eq!(
        round.pool_top_up.as_ref().unwrap().timing,
        kto_core::terms::captable::PoolTiming::PreMoney
    );
    assert_eq!(
        round.investments[0].anti_dilution,
        AntiDilution::BroadBasedWeightedAverage
    );
}
