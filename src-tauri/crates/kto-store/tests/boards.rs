//! The disclosure board and the deal table against real SQLite: moves keep their history
//! and refuse a decision left out; the table sorts by every column, filters and pages, and
//! keeps each pipeline's saved views apart.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{NaiveDate, TimeZone, Utc};
use kto_core::activity::{Action, Change, RecordKind};
use kto_core::disclosure::{
    validate, Decision, Disclosure, DisclosureInput, DisclosureStage, InventorInput,
};
use kto_core::ids::OrganisationId;
use kto_core::money::Money;
use kto_core::party::{Organisation, OrganisationKind};
use kto_core::pipeline::{DealInput, DealRow, DealSort, Pipeline};
use kto_core::record::{RecordQuery, SavedView, Value};
use kto_core::validation::Problem;
use kto_store::{Error, Store, VIEW_PIPELINE};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    day(2026, 11, 27)
}

fn change() -> Change {
    Change {
        actor: "Test User".into(),
        at: Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap(),
    }
}

fn disclosure(store: &mut Store, title: &str, received: NaiveDate) -> Disclosure {
    let input = DisclosureInput {
        reference: String::new(),
        title: title.into(),
        received_on: Some(received),
        faculty: "Science".into(),
        trl: Some(4),
        stage: DisclosureStage::Received,
        decision: None,
        decided_on: None,
        summary: String::new(),
        inventors: vec![InventorInput {
            person_id: None,
            name: "Anouk de Vries".into(),
            organisation_id: None,
            share_bp: 10_000,
        }],
    };
    store
        .create_disclosure(&change(), &validate(&input, today()).unwrap())
        .unwrap()
}

fn problems(e: Error) -> Vec<(String, Problem)> {
    match e {
        Error::Invalid(v) => v.0.into_iter().map(|f| (f.field, f.problem)).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

mod disclosure_board {
    use super::*;

    #[test]
    fn the_board_has_a_column_per_stage_with_counts_and_newest_cards_first() {
        let mut store = Store::open_in_memory().unwrap();
        disclosure(&mut store, "Older sensor", day(2026, 1, 5));
        disclosure(&mut store, "Newer sensor", day(2026, 6, 5));
        let assessed = disclosure(&mut store, "Solar coating", day(2026, 3, 1));
        store
            .move_disclosure(
                &change(),
                assessed.id,
                DisclosureStage::InAssessment,
                None,
                None,
                today(),
            )
            .unwrap();
        let board = store.disclosure_board().unwrap();
        let shape: Vec<_> = board
            .columns
            .iter()
            .map(|c| (c.stage, c.count, c.cards.len()))
            .collect();
        assert_eq!(
            shape,
            [
                (DisclosureStage::Received, 2, 2),
                (DisclosureStage::InAssessment, 1, 1),
                (DisclosureStage::Decided, 0, 0),
            ]
        );
        let titles: Vec<_> = board.columns[0]
            .cards
            .iter()
            .map(|c| c.title.as_str())
            .collect();
        assert_eq!(titles, ["Newer sensor", "Older sensor"]);
        assert_eq!(board.columns[1].cards[0].inventors, "Anouk de Vries");
    }

    #[test]
    fn a_move_to_decided_stores_the_decision_and_its_history_in_one_go() {
        let mut store = Store::open_in_memory().unwrap();
        let d = disclosure(&mut store, "Solar coating", day(2026, 3, 1));
        let moved = store
            .move_disclosure(
                &change(),
                d.id,
                DisclosureStage::Decided,
                Some(Decision::Protect),
                Some(day(2026, 11, 20)),
                today(),
            )
            .unwrap();
        assert_eq!(moved.stage, DisclosureStage::Decided);
        assert_eq!(moved.decision, Some(Decision::Protect));
        assert_eq!(moved.decided_on, Some(day(2026, 11, 20)));
        assert_eq!(moved.reference, d.reference);
        assert_eq!(moved.inventors, d.inventors);

        let history = store.history(&d.id.to_string()).unwrap();
        let stage = history
            .iter()
            .find(|a| a.action == Action::StageChanged)
            .expect("a stage change in the history");
        assert_eq!(
            (stage.old_value.as_deref(), stage.new_value.as_deref()),
            (Some("received"), Some("decided"))
        );
        let decision = history
            .iter()
            .find(|a| a.field.as_deref() == Some("decision"))
            .expect("the decision in the history");
        assert_eq!(decision.new_value.as_deref(), Some("protect"));
        assert!(history
            .iter()
            .any(|a| a.field.as_deref() == Some("decidedOn")
                && a.new_value.as_deref() == Some("2026-11-20")));
    }

    #[test]
    fn a_move_to_decided_without_a_decision_or_date_is_refused_and_changes_nothing() {
        let mut store = Store::open_in_memory().unwrap();
        let d = disclosure(&mut store, "Solar coating", day(2026, 3, 1));
        let before = store.history(&d.id.to_string()).unwrap().len();

        let err = store
            .move_disclosure(
                &change(),
                d.id,
                DisclosureStage::Decided,
                None,
                Some(day(2026, 11, 20)),
                today(),
            )
            .unwrap_err();
        assert_eq!(
            problems(err),
            [("decision".to_string(), Problem::DecisionRequired)]
        );
        let err = store
            .move_disclosure(
                &change(),
                d.id,
                DisclosureStage::Decided,
                Some(Decision::Release),
                None,
                today(),
            )
            .unwrap_err();
        assert_eq!(
            problems(err),
            [("decidedOn".to_string(), Problem::Required)]
        );
        let err = store
            .move_disclosure(
                &change(),
                d.id,
                DisclosureStage::Decided,
                Some(Decision::Release),
                Some(day(2026, 2, 1)),
                today(),
            )
            .unwrap_err();
        assert_eq!(
            problems(err),
            [("decidedOn".to_string(), Problem::BeforeReceived)]
        );

        let after = store.disclosure(d.id).unwrap();
        assert_eq!(
            (after.stage, after.decision),
            (DisclosureStage::Received, None)
        );
        assert_eq!(store.history(&d.id.to_string()).unwrap().len(), before);
    }

    #[test]
    fn a_move_back_from_decided_withdraws_the_decision_in_the_history() {
        let mut store = Store::open_in_memory().unwrap();
        let d = disclosure(&mut store, "Solar coating", day(2026, 3, 1));
        store
            .move_disclosure(
                &change(),
                d.id,
                DisclosureStage::Decided,
                Some(Decision::Abandon),
                Some(day(2026, 11, 1)),
                today(),
            )
            .unwrap();
        let back = store
            .move_disclosure(
                &change(),
                d.id,
                DisclosureStage::InAssessment,
                None,
                None,
                today(),
            )
            .unwrap();
        assert_eq!(
            (back.stage, back.decision, back.decided_on),
            (DisclosureStage::InAssessment, None, None)
        );
        let history = store.history(&d.id.to_string()).unwrap();
        let latest_stage = history
            .iter()
            .find(|a| a.action == Action::StageChanged)
            .unwrap();
        assert_eq!(latest_stage.new_value.as_deref(), Some("in_assessment"));
        assert!(history
            .iter()
            .any(|a| a.field.as_deref() == Some("decision")
                && a.old_value.as_deref() == Some("abandon")
                && a.new_value.is_none()));
    }

    #[test]
    fn moving_an_unknown_disclosure_is_not_found() {
        let mut store = Store::open_in_memory().unwrap();
        let err = store
            .move_disclosure(
                &change(),
                kto_core::ids::DisclosureId::new(),
                DisclosureStage::InAssessment,
                None,
                None,
                today(),
            )
            .unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    }
}

mod deal_table {
    use super::*;

    /// Title, stage code, organisation, value in euros, owner, next action, due.
    type DealLine<'a> = (
        &'a str,
        &'a str,
        Option<OrganisationId>,
        Option<i64>,
        &'a str,
        &'a str,
        Option<NaiveDate>,
    );

    struct Office {
        store: Store,
    }

    /// Five licensing deals across three stages, two owners and two organisations, one
    /// without a value, and a PPS deal that must never show in the licensing table.
    fn office() -> Office {
        let mut store = Store::open_in_memory().unwrap();
        let mut org = |name: &str| {
            let o = Organisation {
                id: OrganisationId::new(),
                name: name.into(),
                kind: OrganisationKind::Sme,
                country: "NL".into(),
                kvk: None,
            };
            store.create_organisation(&change(), &o).unwrap();
            o.id
        };
        let (acme, zenith) = (org("Acme Sensors"), org("Zenith Optics"));
        let deals: [DealLine; 5] = [
            (
                "Nitrate sensor",
                "marketing",
                Some(acme),
                Some(40_000),
                "Eva",
                "Call Acme",
                Some(day(2026, 12, 4)),
            ),
            (
                "Bio-ink",
                "negotiation",
                Some(zenith),
                Some(250_000),
                "Joost",
                "Send terms",
                Some(day(2026, 12, 1)),
            ),
            (
                "Cheap coating",
                "marketing",
                None,
                Some(5_000),
                "Eva",
                "",
                None,
            ),
            (
                "Antenna",
                "interest",
                Some(zenith),
                None,
                "",
                "Demo",
                Some(day(2027, 1, 15)),
            ),
            (
                "Drone software",
                "negotiation",
                Some(acme),
                Some(90_000),
                "Joost",
                "Draft licence",
                Some(day(2026, 12, 20)),
            ),
        ];
        for (title, stage, org, euros, owner, next, due) in deals {
            store
                .create_deal(
                    &change(),
                    &DealInput {
                        pipeline: Pipeline::Licensing,
                        title: title.into(),
                        stage_id: format!("licensing:{stage}"),
                        organisation_id: org,
                        value: euros.map(Money::from_euros),
                        owner: owner.into(),
                        next_action: next.into(),
                        next_action_due: due,
                        lost_reason: String::new(),
                        notes: format!("{title} notes"),
                    },
                )
                .unwrap();
        }
        store
            .create_deal(
                &change(),
                &DealInput {
                    pipeline: Pipeline::Pps,
                    title: "Consortium on sensors".into(),
                    stage_id: "pps:idea".into(),
                    organisation_id: None,
                    value: Some(Money::from_euros(1_000_000)),
                    owner: "Eva".into(),
                    next_action: String::new(),
                    next_action_due: None,
                    lost_reason: String::new(),
                    notes: String::new(),
                },
            )
            .unwrap();
        Office { store }
    }

    fn query(sort: DealSort, descending: bool) -> RecordQuery {
        RecordQuery {
            sort: Some(sort.key().into()),
            descending,
            limit: 100,
            ..RecordQuery::default()
        }
    }

    fn titles(rows: &[DealRow]) -> Vec<&str> {
        rows.iter().map(|r| r.title.as_str()).collect()
    }

    #[test]
    fn every_column_sorts_both_ways_with_empty_values_last() {
        let o = office();
        let cases: [(DealSort, [&str; 5]); 7] = [
            (
                DealSort::Title,
                [
                    "Antenna",
                    "Bio-ink",
                    "Cheap coating",
                    "Drone software",
                    "Nitrate sensor",
                ],
            ),
            // Stage order, then id (creation order) within a stage.
            (
                DealSort::Stage,
                [
                    "Nitrate sensor",
                    "Cheap coating",
                    "Antenna",
                    "Bio-ink",
                    "Drone software",
                ],
            ),
            (
                DealSort::Organisation,
                [
                    "Nitrate sensor",
                    "Drone software",
                    "Bio-ink",
                    "Antenna",
                    "Cheap coating",
                ],
            ),
            (
                DealSort::Value,
                [
                    "Cheap coating",
                    "Nitrate sensor",
                    "Drone software",
                    "Bio-ink",
                    "Antenna",
                ],
            ),
            (
                DealSort::Owner,
                [
                    "Nitrate sensor",
                    "Cheap coating",
                    "Bio-ink",
                    "Drone software",
                    "Antenna",
                ],
            ),
            (
                DealSort::NextAction,
                [
                    "Nitrate sensor",
                    "Antenna",
                    "Drone software",
                    "Bio-ink",
                    "Cheap coating",
                ],
            ),
            (
                DealSort::NextActionDue,
                [
                    "Bio-ink",
                    "Nitrate sensor",
                    "Drone software",
                    "Antenna",
                    "Cheap coating",
                ],
            ),
        ];
        for (sort, expected) in cases {
            let page = o
                .store
                .list_deals(Pipeline::Licensing, &query(sort, false))
                .unwrap();
            assert_eq!(titles(&page.rows), expected, "{sort:?} ascending");
            assert_eq!(page.total, Some(5));
        }
        let down = o
            .store
            .list_deals(Pipeline::Licensing, &query(DealSort::Value, true))
            .unwrap();
        assert_eq!(
            titles(&down.rows),
            [
                "Bio-ink",
                "Drone software",
                "Nitrate sensor",
                "Cheap coating",
                "Antenna"
            ],
            "descending by value, the deal without a value still last"
        );
        let row = &down.rows[0];
        assert_eq!(row.stage.code.as_deref(), Some("negotiation"));
        assert_eq!(row.organisation_name.as_deref(), Some("Zenith Optics"));
        assert_eq!(row.value, Some(Money::from_euros(250_000)));
        assert_eq!(
            (row.owner.as_str(), row.next_action.as_str()),
            ("Joost", "Send terms")
        );
        assert_eq!(row.next_action_due, Some(day(2026, 12, 1)));
    }

    #[test]
    fn filters_by_stage_and_owner_and_search_narrow_the_table() {
        let o = office();
        let mut q = query(DealSort::Title, false);
        q.filters.insert(
            "stageId".into(),
            Value::Text("licensing:negotiation".into()),
        );
        let page = o.store.list_deals(Pipeline::Licensing, &q).unwrap();
        assert_eq!(titles(&page.rows), ["Bio-ink", "Drone software"]);
        assert_eq!(page.total, Some(2));

        q.filters.clear();
        q.filters.insert("owner".into(), Value::Text("Eva".into()));
        let page = o.store.list_deals(Pipeline::Licensing, &q).unwrap();
        assert_eq!(titles(&page.rows), ["Cheap coating", "Nitrate sensor"]);

        q.filters.insert(
            "stageId".into(),
            Value::Text("licensing:negotiation".into()),
        );
        let page = o.store.list_deals(Pipeline::Licensing, &q).unwrap();
        assert!(page.rows.is_empty());
        assert_eq!(page.total, Some(0));

        let mut q = query(DealSort::Title, false);
        q.search = Some("draf".into());
        let page = o.store.list_deals(Pipeline::Licensing, &q).unwrap();
        assert_eq!(titles(&page.rows), ["Drone software"]);
        q.search = Some("sensors".into());
        let page = o.store.list_deals(Pipeline::Licensing, &q).unwrap();
        assert!(
            page.rows.is_empty(),
            "the PPS deal stays out: {:?}",
            titles(&page.rows)
        );
    }

    #[test]
    fn pages_from_an_offset_visit_every_deal_once() {
        let o = office();
        let mut seen = Vec::new();
        let mut q = query(DealSort::Value, true);
        q.limit = 2;
        loop {
            let page = o.store.list_deals(Pipeline::Licensing, &q).unwrap();
            assert_eq!(page.total.is_some(), q.offset == 0);
            seen.extend(page.rows.iter().map(|r| r.title.clone()));
            match page.next {
                Some(next) => q.offset = next.parse().unwrap(),
                None => break,
            }
        }
        let all = o
            .store
            .list_deals(Pipeline::Licensing, &query(DealSort::Value, true))
            .unwrap();
        let all: Vec<_> = all.rows.iter().map(|r| r.title.clone()).collect();
        assert_eq!(seen, all);
    }

    #[test]
    fn owners_are_listed_once_per_pipeline() {
        let o = office();
        assert_eq!(
            o.store.deal_owners(Pipeline::Licensing).unwrap(),
            ["Eva", "Joost"]
        );
        assert_eq!(o.store.deal_owners(Pipeline::Pps).unwrap(), ["Eva"]);
    }

    /// A deal table's view as the UI saves it: its pipeline kept in the filters.
    fn view(name: &str, pipeline: &str, sort: DealSort) -> SavedView {
        let mut q = query(sort, true);
        q.filters
            .insert(VIEW_PIPELINE.into(), Value::Text(pipeline.into()));
        SavedView {
            name: name.into(),
            kind: RecordKind::Deal,
            query: q,
        }
    }

    #[test]
    fn the_same_view_name_in_two_pipelines_keeps_two_views() {
        let mut o = office();
        let licensing = view("Biggest first", "licensing", DealSort::Value);
        let research = view("Biggest first", "contractResearch", DealSort::NextActionDue);
        o.store.save_view(&licensing).unwrap();
        o.store.save_view(&research).unwrap();

        let views = |o: &Office, p| o.store.saved_views_in(RecordKind::Deal, Some(p)).unwrap();
        assert_eq!(
            views(&o, Pipeline::Licensing),
            std::slice::from_ref(&licensing)
        );
        assert_eq!(
            views(&o, Pipeline::ContractResearch),
            std::slice::from_ref(&research)
        );
        assert!(views(&o, Pipeline::Pps).is_empty());

        // Saving again replaces the view of that pipeline only.
        let mut changed = licensing.clone();
        changed.query.descending = false;
        o.store.save_view(&changed).unwrap();
        assert_eq!(views(&o, Pipeline::Licensing), [changed]);
        assert_eq!(
            views(&o, Pipeline::ContractResearch),
            std::slice::from_ref(&research)
        );

        // Deleting it in one pipeline leaves the other's.
        o.store
            .delete_view_in(RecordKind::Deal, Some(Pipeline::Licensing), "Biggest first")
            .unwrap();
        assert!(views(&o, Pipeline::Licensing).is_empty());
        assert_eq!(views(&o, Pipeline::ContractResearch), [research]);
    }

    #[test]
    fn a_deal_view_naming_an_unknown_pipeline_is_refused() {
        let mut o = office();
        let e = o
            .store
            .save_view(&view("Odd", "marketing", DealSort::Title))
            .unwrap_err();
        assert_eq!(
            problems(e),
            [(VIEW_PIPELINE.to_string(), Problem::NotFound)]
        );
        assert!(o
            .store
            .saved_views_in(RecordKind::Deal, Some(Pipeline::Licensing))
            .unwrap()
            .is_empty());
    }
}
