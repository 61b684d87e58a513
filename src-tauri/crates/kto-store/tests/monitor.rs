//! The monitor's data in the store: figures computed from stored records, drill-down ids,
//! office inputs, immutable signed submissions and their supersede chain, and the
//! signing-key registry.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{NaiveDate, TimeZone, Utc};
use kto_core::activity::{Change, RecordKind};
use kto_core::disclosure::{validate, DisclosureInput, DisclosureStage, InventorInput};
use kto_core::ids::OrganisationId;
use kto_core::monitor::{
    compute_monitor, data_quality, reporting_period, DefinitionSet, Figure, FigureValue,
    FinancialYearStart, MonitorSettings, NotAvailableReason, OfficeInputs,
    RecordKind as MonitorRecordKind,
};
use kto_core::party::{Organisation, OrganisationKind};
use kto_core::record::{Value, Values};
use kto_core::validation::Problem;
use kto_core::Money;
use kto_store::{Error, NewSigningKey, NewSubmission, Store};

const DEFINITIONS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../assets/monitor/definitions-2026.1.json"
));

fn change() -> Change {
    Change {
        actor: "Office Head".into(),
        at: Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap(),
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

fn vals(pairs: &[(&str, Value)]) -> Values {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), v.clone()))
        .collect()
}

fn create(store: &mut Store, kind: RecordKind, pairs: &[(&str, Value)]) -> String {
    store
        .create_record(&change(), kind, &vals(pairs))
        .unwrap()
        .id
}

fn organisation(store: &mut Store, name: &str, kind: OrganisationKind) -> String {
    let id = OrganisationId::new();
    store
        .create_organisation(
            &change(),
            &Organisation {
                id,
                name: name.into(),
                kind,
                country: "NL".into(),
                kvk: None,
            },
        )
        .unwrap();
    id.to_string()
}

fn disclosure(store: &mut Store, title: &str, received: NaiveDate, shares: &[u32]) -> String {
    let input = DisclosureInput {
        reference: String::new(),
        title: title.into(),
        received_on: Some(received),
        faculty: "Science".into(),
        trl: None,
        stage: DisclosureStage::Received,
        decision: None,
        decided_on: None,
        summary: String::new(),
        inventors: shares
            .iter()
            .enumerate()
            .map(|(i, bp)| InventorInput {
                person_id: None,
                name: format!("Inventor {title} {i}"),
                organisation_id: None,
                share_bp: *bp,
            })
            .collect(),
    };
    let valid = validate(&input, date(2026, 3, 1)).unwrap();
    store
        .create_disclosure(&change(), &valid)
        .unwrap()
        .id
        .to_string()
}

/// The ids of the records of one office, by role in the test.
struct Office {
    d2025a: String,
    d2025b: String,
    prio_nl: String,
    pct: String,
    granted_ep: String,
    licence: String,
    option: String,
    contract: String,
    royalty: String,
    qubit: String,
    round: String,
    startly: String,
    old_spin_off: String,
    contribution: String,
    lead_a: String,
    lead_b: String,
}

/// A small office with records in 2024 and 2025 and the edges the rules care about.
fn office(store: &mut Store) -> Office {
    let sme = organisation(store, "Acme Sensors BV", OrganisationKind::Sme);
    let big = organisation(store, "BigChem NV", OrganisationKind::LargeCompany);
    let uni = organisation(
        store,
        "Other University",
        OrganisationKind::KnowledgeInstitution,
    );

    let d2025a = disclosure(store, "Photonic chip", date(2025, 2, 3), &[6000, 4000]);
    let d2025b = disclosure(store, "Enzyme", date(2025, 12, 31), &[10000]);
    disclosure(store, "Old idea", date(2024, 12, 31), &[10000]);

    let patent = |store: &mut Store, family: &str, j: &str, filed: &str, prio: bool| {
        create(
            store,
            RecordKind::Patent,
            &[
                ("title", text(&format!("{family} {j}"))),
                ("family", text(family)),
                ("jurisdiction", text(j)),
                ("filingDate", text(filed)),
                ("isPriority", Value::Bool(prio)),
                ("status", text("pending")),
            ],
        )
    };
    let prio_nl = patent(store, "F1", "NL", "2025-02-01", true);
    let pct = patent(store, "F1", "PCT", "2025-12-01", false);
    let granted_ep = create(
        store,
        RecordKind::Patent,
        &[
            ("title", text("F2 EP")),
            ("family", text("F2")),
            ("jurisdiction", text("EP")),
            ("filingDate", text("2024-05-01")),
            ("isPriority", Value::Bool(true)),
            ("grantDate", text("2025-06-01")),
            ("status", text("granted")),
        ],
    );

    let agreement = |store: &mut Store, title: &str, kind: &str, org: &str, signed: &str| {
        create(
            store,
            RecordKind::Agreement,
            &[
                ("title", text(title)),
                ("kind", text(kind)),
                ("counterpartyId", text(org)),
                ("signedDate", text(signed)),
                ("value", Value::Int(20_000_000)),
            ],
        )
    };
    let licence = agreement(store, "Chip licence", "licence", &sme, "2025-03-01");
    let option = agreement(store, "Enzyme option", "option", &big, "2025-04-01");
    let contract = agreement(
        store,
        "Catalysis study",
        "contractResearch",
        &big,
        "2025-05-01",
    );
    agreement(
        store,
        "Joint lab",
        "collaborativeResearch",
        &uni,
        "2025-05-02",
    );
    agreement(store, "NDA BigChem", "nda", &big, "2025-01-10");
    agreement(store, "Licence 2024", "licence", &sme, "2024-11-30");

    let income = |store: &mut Store, what: &str, agreement: &str, cents: i64| {
        create(
            store,
            RecordKind::Income,
            &[
                ("description", text(what)),
                ("kind", text("royalty")),
                ("receivedDate", text("2025-10-01")),
                ("amount", Value::Int(cents)),
                ("agreementId", text(agreement)),
            ],
        )
    };
    let royalty = income(store, "Royalty 2025", &licence, 1_000_000);
    income(store, "Study payment", &contract, 5_000_000);

    let company =
        |store: &mut Store, name: &str, formal: bool, inc: &str, status: &[(&str, &str)]| {
            let mut pairs = vec![
                ("name", text(name)),
                ("formalIpAgreement", Value::Bool(formal)),
                ("incorporationDate", text(inc)),
            ];
            for (k, v) in status {
                pairs.push((k, text(v)));
            }
            create(store, RecordKind::SpinOff, &pairs)
        };
    let qubit = company(
        store,
        "Qubit BV",
        true,
        "2025-06-01",
        &[("status", "active")],
    );
    let startly = company(
        store,
        "Startly BV",
        false,
        "2025-07-01",
        &[("status", "active")],
    );
    let old_spin_off = company(
        store,
        "Old Spin BV",
        true,
        "2022-12-31",
        &[("status", "active")],
    );
    company(
        store,
        "Young Spin BV",
        true,
        "2023-01-01",
        &[("status", "active")],
    );
    company(
        store,
        "Gone BV",
        true,
        "2019-01-01",
        &[("status", "dissolved"), ("statusDate", "2025-12-31")],
    );
    let round = create(
        store,
        RecordKind::FundingRound,
        &[
            ("spinOffId", text(&qubit)),
            ("name", text("Seed")),
            ("closedDate", text("2025-09-01")),
            ("amount", Value::Int(100_000_000)),
            ("external", Value::Bool(true)),
        ],
    );

    let consortium = create(
        store,
        RecordKind::Consortium,
        &[
            ("name", text("PPS Photonics")),
            ("programme", text("TKI HTSM")),
        ],
    );
    let contribution = create(
        store,
        RecordKind::Contribution,
        &[
            ("consortiumId", text(&consortium)),
            ("organisationId", text(&big)),
            ("partnerKind", text("privateCompany")),
            ("role", text("industry partner")),
            ("year", Value::Int(2025)),
            ("cash", Value::Int(10_000_000)),
        ],
    );

    let lead = |store: &mut Store, group: &str, outcome: Option<&str>| {
        let mut pairs = vec![
            ("topic", text("Integrated photonics")),
            ("researchGroup", text(group)),
            ("visitDate", text("2025-04-15")),
        ];
        if let Some(o) = outcome {
            pairs.push(("outcome", text(o)));
            pairs.push(("outcomeDate", text("2025-09-01")));
        }
        create(store, RecordKind::ScoutingLead, &pairs)
    };
    let lead_a = lead(store, "Photonics", Some("disclosure"));
    let lead_b = lead(store, " photonics ", None);

    Office {
        d2025a,
        d2025b,
        prio_nl,
        pct,
        granted_ep,
        licence,
        option,
        contract,
        royalty,
        qubit,
        round,
        startly,
        old_spin_off,
        contribution,
        lead_a,
        lead_b,
    }
}

fn figures(store: &Store, year: i32, start: FinancialYearStart) -> Vec<Figure> {
    let defs = DefinitionSet::from_json(DEFINITIONS).unwrap();
    let period = reporting_period(year, start).unwrap();
    compute_monitor(&defs, &store.monitor_facts().unwrap(), &period).figures
}

fn fig<'a>(figures: &'a [Figure], code: &str) -> &'a Figure {
    figures
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("the definitions have no figure {code}"))
}

fn sorted(mut ids: Vec<&String>) -> Vec<String> {
    ids.sort();
    ids.into_iter().cloned().collect()
}

fn inputs(year: i32, eur: Option<i64>, research: Option<u32>, kto: Option<u32>) -> OfficeInputs {
    OfficeInputs {
        id: String::new(),
        year,
        research_expenditure: eur.map(Money::from_euros),
        research_fte: research,
        kto_fte: kto,
    }
}

/// The office of [`office`] with its 2025 inputs, and its 2025 figures.
fn office_2025() -> (Office, Vec<Figure>) {
    let mut store = Store::open_in_memory().unwrap();
    let o = office(&mut store);
    store
        .save_office_inputs(
            &change(),
            &inputs(2025, Some(250_000_000), Some(123_450), None),
        )
        .unwrap();
    let f = figures(&store, 2025, FinancialYearStart::default());
    (o, f)
}

#[test]
fn disclosures_and_patents_count_by_their_dates() {
    let (o, f) = office_2025();
    assert_eq!(fig(&f, "ID").value, FigureValue::Count(2));
    assert_eq!(fig(&f, "ID").record_ids, sorted(vec![&o.d2025a, &o.d2025b]));
    // One priority filing (the PCT claims it); the EP grant's family was filed in 2024.
    assert_eq!(fig(&f, "PA-PRIO").value, FigureValue::Count(1));
    assert_eq!(fig(&f, "PA-PRIO").record_ids, vec![o.prio_nl.clone()]);
    assert_eq!(fig(&f, "PA-TOT").value, FigureValue::Count(2));
    assert_eq!(
        fig(&f, "PA-TOT").record_ids,
        sorted(vec![&o.prio_nl, &o.pct])
    );
    assert_eq!(fig(&f, "PG").record_ids, vec![o.granted_ep.clone()]);
}

#[test]
fn research_agreements_count_only_company_contracts_with_their_value() {
    let (o, f) = office_2025();
    // The contract with a company counts; the one with a university and the NDA do not.
    assert_eq!(fig(&f, "RA").value, FigureValue::Count(1));
    assert_eq!(fig(&f, "RA").record_ids, vec![o.contract.clone()]);
    assert_eq!(
        fig(&f, "RA-VAL").value,
        FigureValue::Amount(Money::from_cents(20_000_000))
    );
    let ra = fig(&f, "RA");
    let member = |key: &str| ra.breakdowns.iter().find(|b| b.key == key).unwrap().value;
    assert_eq!(member("partnerKind:largeCompany"), FigureValue::Count(1));
    assert_eq!(member("partnerKind:sme"), FigureValue::Count(0));
}

#[test]
fn licences_and_options_count_by_licensee_kind_and_income_by_its_agreement() {
    let (o, f) = office_2025();
    // LOAs by licensee kind: the partner kind comes from the counterparty organisation.
    let loa = fig(&f, "LOA");
    assert_eq!(loa.value, FigureValue::Count(2));
    assert_eq!(loa.record_ids, sorted(vec![&o.licence, &o.option]));
    let loa_member = |key: &str| loa.breakdowns.iter().find(|b| b.key == key).unwrap().value;
    assert_eq!(loa_member("licenseeKind:sme"), FigureValue::Count(1));
    assert_eq!(loa_member("licenseeKind:large"), FigureValue::Count(1));
    // Licence income through the income's agreement; the contract payment is not.
    assert_eq!(
        fig(&f, "LI").value,
        FigureValue::Amount(Money::from_cents(1_000_000))
    );
    assert_eq!(fig(&f, "LI").record_ids, vec![o.royalty.clone()]);
}

#[test]
fn spin_offs_start_ups_investments_and_three_year_survivors() {
    let (o, f) = office_2025();
    assert_eq!(fig(&f, "SO").record_ids, vec![o.qubit.clone()]);
    assert_eq!(fig(&f, "SU").record_ids, vec![o.startly.clone()]);
    assert_eq!(fig(&f, "SO-INV").record_ids, vec![o.qubit.clone()]);
    assert_eq!(fig(&f, "SO-INV-AMT").record_ids, vec![o.round.clone()]);
    assert_eq!(
        fig(&f, "SO-INV-AMT").value,
        FigureValue::Amount(Money::from_euros(1_000_000))
    );
    // Three years old on 31 December 2025: incorporated on or before 31 December 2022;
    // the company dissolved on the last day of the year is no longer active.
    assert_eq!(fig(&f, "SO-ACT3").record_ids, vec![o.old_spin_off.clone()]);
}

#[test]
fn pps_base_counts_the_contributions_of_the_year() {
    let (o, f) = office_2025();
    assert_eq!(
        fig(&f, "PPS-BASE").value,
        FigureValue::Amount(Money::from_euros(100_000))
    );
    assert_eq!(fig(&f, "PPS-BASE").record_ids, vec![o.contribution.clone()]);
}

#[test]
fn scouting_counts_a_group_once_however_it_is_written() {
    let (o, f) = office_2025();
    // Two visits to one group, written differently.
    assert_eq!(fig(&f, "SC-VIS").value, FigureValue::Count(1));
    assert_eq!(
        fig(&f, "SC-VIS").record_ids,
        sorted(vec![&o.lead_a, &o.lead_b])
    );
    assert_eq!(fig(&f, "SC-CONV").record_ids, vec![o.lead_a.clone()]);
}

#[test]
fn office_inputs_are_values_and_a_missing_one_is_not_available() {
    let (_, f) = office_2025();
    // Inputs: recorded ones are values, the missing one is not available, never zero.
    assert_eq!(
        fig(&f, "IN-RES-EXP").value,
        FigureValue::Amount(Money::from_euros(250_000_000))
    );
    assert_eq!(fig(&f, "IN-RES-FTE").value, FigureValue::Fte(123_450));
    assert_eq!(
        fig(&f, "IN-KTO-FTE").value,
        FigureValue::NotAvailable {
            reason: NotAvailableReason::InputNotRecorded
        }
    );
}

#[test]
fn a_financial_year_from_july_moves_records_between_years() {
    let mut store = Store::open_in_memory().unwrap();
    let o = office(&mut store);
    let july = FinancialYearStart { month: 7, day: 1 };
    // 2025 = 2024-07-01 .. 2025-06-30: December 2024 and February 2025, not December 2025.
    let f = figures(&store, 2025, july);
    let ids = &fig(&f, "ID").record_ids;
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&o.d2025a) && !ids.contains(&o.d2025b));
    let f = figures(&store, 2026, july);
    assert_eq!(fig(&f, "ID").record_ids, vec![o.d2025b.clone()]);
}

#[test]
fn drill_down_names_each_counted_record_with_its_kind_and_title() {
    let mut store = Store::open_in_memory().unwrap();
    let o = office(&mut store);
    let saved = store
        .save_office_inputs(&change(), &inputs(2025, Some(1), None, None))
        .unwrap();
    let records = store
        .counted_records(&[
            o.licence.clone(),
            o.round.clone(),
            o.contribution.clone(),
            o.prio_nl.clone(),
            saved.id.clone(),
            "no-such-id".into(),
        ])
        .unwrap();
    let got: Vec<(MonitorRecordKind, &str)> =
        records.iter().map(|r| (r.kind, r.title.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (MonitorRecordKind::Agreement, "Chip licence"),
            (MonitorRecordKind::FundingRound, "Qubit BV: Seed"),
            (
                MonitorRecordKind::Contribution,
                "BigChem NV, PPS Photonics 2025"
            ),
            (MonitorRecordKind::PatentApplication, "F1 NL (NL)"),
            (MonitorRecordKind::OfficeInputs, "Office inputs 2025"),
        ]
    );
}

#[test]
fn drill_down_gives_each_record_the_date_that_places_it_and_its_amount() {
    let mut store = Store::open_in_memory().unwrap();
    let o = office(&mut store);
    let records = store
        .counted_records(&[
            o.royalty.clone(),
            o.round.clone(),
            o.contribution.clone(),
            o.licence.clone(),
        ])
        .unwrap();
    let got: Vec<(Option<String>, Option<i64>)> = records
        .iter()
        .map(|r| (r.date.map(|d| d.to_string()), r.amount))
        .collect();
    let d = |s: &str| Some(s.to_string());
    assert_eq!(got[0].1, Some(1_000_000), "the royalty's amount");
    assert!(got[0].0.is_some(), "the royalty's date");
    assert_eq!(got[1], (d("2025-09-01"), Some(100_000_000)));
    assert_eq!(
        got[2],
        (None, Some(10_000_000)),
        "a contribution is dated by its year"
    );
    assert_eq!(got[3].0, d("2025-03-01"));
}

#[test]
fn data_quality_sees_stored_records_without_the_kind_a_figure_needs() {
    let mut store = Store::open_in_memory().unwrap();
    let id = create(
        &mut store,
        RecordKind::Agreement,
        &[
            ("title", text("Licence to nobody")),
            ("kind", text("licence")),
            ("signedDate", text("2025-02-02")),
        ],
    );
    let period = reporting_period(2025, FinancialYearStart::default()).unwrap();
    let warnings = data_quality(&store.monitor_facts().unwrap(), &period);
    assert!(warnings
        .iter()
        .any(|w| w.record_id.as_deref() == Some(id.as_str())));
}

#[test]
fn office_inputs_are_saved_per_year_keep_their_id_and_refuse_bad_values() {
    let mut store = Store::open_in_memory().unwrap();
    assert_eq!(store.office_inputs(2025).unwrap(), None);
    let first = store
        .save_office_inputs(&change(), &inputs(2025, Some(10), Some(100), Some(5)))
        .unwrap();
    let second = store
        .save_office_inputs(&change(), &inputs(2025, None, Some(200), Some(5)))
        .unwrap();
    assert_eq!(first.id, second.id);
    assert_eq!(second.research_expenditure, None);
    assert_eq!(second.research_fte, Some(200));

    let mut bad = inputs(1800, Some(-1), Some(u32::MAX), None);
    bad.kto_fte = Some(20_000_000);
    match store.save_office_inputs(&change(), &bad) {
        Err(Error::Invalid(e)) => {
            let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
            assert_eq!(
                fields,
                vec!["year", "researchExpenditure", "researchFte", "ktoFte"]
            );
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn monitor_settings_round_trip_and_refuse_an_id_with_spaces() {
    let mut store = Store::open_in_memory().unwrap();
    assert_eq!(
        store.monitor_settings().unwrap(),
        MonitorSettings::default()
    );
    let s = MonitorSettings {
        institution_id: "uvh".into(),
        institution_name: "Universiteit van Hollandia".into(),
        financial_year_start: FinancialYearStart { month: 9, day: 1 },
    };
    store.save_monitor_settings(&s).unwrap();
    assert_eq!(store.monitor_settings().unwrap(), s);
    let bad = MonitorSettings {
        institution_id: "u v h".into(),
        financial_year_start: FinancialYearStart { month: 2, day: 29 },
        ..s
    };
    match store.save_monitor_settings(&bad) {
        Err(Error::Invalid(e)) => {
            assert_eq!(e.0[0].field, "institutionId");
            assert_eq!(e.0[0].problem, Problem::Invalid);
            assert_eq!(e.0[1].field, "financialYearStart");
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn key(n: u8) -> NewSigningKey {
    NewSigningKey {
        key_id: format!("{n:016X}"),
        public_key: format!("untrusted comment: minisign public key {n}\nRWQkey{n}\n"),
        fingerprint: format!("{n:064x}"),
    }
}

fn new_submission(year: i32, supersedes: Option<String>, n: u8) -> NewSubmission {
    NewSubmission {
        year,
        supersedes_id: supersedes,
        institution_id: "uvh".into(),
        definition_version: "2026.1".into(),
        canonical_json: format!("{{\"n\":{n}}}"),
        signature: format!("signature {n}"),
        sha256: format!("{n:064x}"),
        key: key(1),
        signer: "Office Head".into(),
        signed_at: Utc.with_ymd_and_hms(2026, 3, 1, 9, n.into(), 0).unwrap(),
    }
}

#[test]
fn a_correction_is_a_new_version_that_supersedes_the_latest_one() {
    let mut store = Store::open_in_memory().unwrap();
    let v1 = store
        .insert_submission(&new_submission(2025, None, 1))
        .unwrap();
    assert_eq!(
        (v1.year, v1.version, v1.supersedes_id.clone()),
        (2025, 1, None)
    );

    // A second first version, or a correction of an old version, is refused.
    assert!(matches!(
        store.insert_submission(&new_submission(2025, None, 2)),
        Err(Error::Conflict(_))
    ));
    let v2 = store
        .insert_submission(&new_submission(2025, Some(v1.id.clone()), 2))
        .unwrap();
    assert_eq!(v2.version, 2);
    assert_eq!(v2.supersedes_id.as_deref(), Some(v1.id.as_str()));
    assert!(matches!(
        store.insert_submission(&new_submission(2025, Some(v1.id.clone()), 3)),
        Err(Error::Conflict(_))
    ));
    // The same file twice is refused.
    assert!(matches!(
        store.insert_submission(&new_submission(2025, Some(v2.id.clone()), 2)),
        Err(Error::Conflict(_))
    ));
    let other_year = store
        .insert_submission(&new_submission(2024, None, 4))
        .unwrap();

    assert_eq!(store.latest_submission(2025).unwrap().unwrap().id, v2.id);
    assert_eq!(
        store.latest_submission_before(2026).unwrap().unwrap().id,
        v2.id
    );
    assert_eq!(
        store.latest_submission_before(2025).unwrap().unwrap().id,
        other_year.id
    );
    assert_eq!(store.latest_submission_before(2024).unwrap(), None);
    let listed: Vec<(i32, u32)> = store
        .submissions()
        .unwrap()
        .iter()
        .map(|s| (s.year, s.version))
        .collect();
    assert_eq!(listed, vec![(2025, 2), (2025, 1), (2024, 1)]);
    assert_eq!(store.submission(&v1.id).unwrap(), v1);
}

#[test]
fn signed_submissions_cannot_be_changed_or_deleted_even_with_sql() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("office.sqlite3");
    let mut store = Store::open(&path).unwrap();
    let v1 = store
        .insert_submission(&new_submission(2025, None, 1))
        .unwrap();
    drop(store);

    let conn = rusqlite::Connection::open(&path).unwrap();
    let update = conn.execute(
        "UPDATE submissions SET canonical_json = '{}' WHERE id = ?1",
        [&v1.id],
    );
    assert!(update
        .unwrap_err()
        .to_string()
        .contains("cannot be changed"));
    let delete = conn.execute("DELETE FROM submissions WHERE id = ?1", [&v1.id]);
    assert!(delete
        .unwrap_err()
        .to_string()
        .contains("cannot be deleted"));
    let key_delete = conn.execute("DELETE FROM signing_keys", []);
    assert!(key_delete.unwrap_err().to_string().contains("retire it"));
    drop(conn);

    let store = Store::open(&path).unwrap();
    assert_eq!(store.submission(&v1.id).unwrap(), v1);
}

#[test]
fn replacing_a_key_retires_the_old_one_and_keeps_what_it_signed() {
    let mut store = Store::open_in_memory().unwrap();
    let t1 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let t2 = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
    store.replace_signing_key(&key(1), t1).unwrap();
    let signed = store
        .insert_submission(&new_submission(2025, None, 1))
        .unwrap();
    store.replace_signing_key(&key(2), t2).unwrap();

    let keys = store.signing_keys().unwrap();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0].key_id, key(2).key_id);
    assert_eq!(keys[0].retired_at, None);
    assert_eq!(keys[1].key_id, key(1).key_id);
    assert_eq!(keys[1].retired_at, Some(t2));
    assert_eq!(store.submission(&signed.id).unwrap().key_id, key(1).key_id);
    // A key id cannot come back with another public key, nor be registered twice.
    let mut impostor = key(2);
    impostor.public_key = "untrusted comment: x\nRWQother\n".into();
    assert!(matches!(
        store.register_signing_key(&impostor, t2),
        Err(Error::Conflict(_))
    ));
    assert!(matches!(
        store.replace_signing_key(&key(1), t2),
        Err(Error::Conflict(_))
    ));
}

/// Records at the edges of what one period's facts must hold: a family whose first
/// priority filing is years before its next one, a family spelled with spaces, records
/// without the date that places them, a dissolution after a period's end, an old spin-off
/// still active, rounds that are not external or not dated, a conversion without its date.
fn period_edges(store: &mut Store) {
    let sme = organisation(store, "Edge Optics BV", OrganisationKind::Sme);
    let patent = |store: &mut Store, family: &str, filed: Option<&str>, prio: bool| {
        let mut pairs = vec![
            ("title", text(&format!("Edge {family}"))),
            ("family", text(family)),
            ("jurisdiction", text("NL")),
            ("isPriority", Value::Bool(prio)),
            ("status", text("pending")),
        ];
        if let Some(f) = filed {
            pairs.push(("filingDate", text(f)));
        }
        create(store, RecordKind::Patent, &pairs)
    };
    patent(store, "EDGE-1", Some("2019-03-01"), true);
    patent(store, "EDGE-1", Some("2025-03-01"), true);
    patent(store, " EDGE-2", Some("2020-01-10"), true);
    patent(store, "EDGE-2\u{a0}", Some("2025-01-10"), true);
    patent(store, "EDGE-3", None, false);
    patent(store, "EDGE-3", Some("2018-05-05"), true);
    create(
        store,
        RecordKind::Agreement,
        &[
            ("title", text("Undated licence")),
            ("kind", text("licence")),
            ("counterpartyId", text(&sme)),
        ],
    );
    let spin_off = |store: &mut Store, name: &str, pairs: &[(&str, Value)]| {
        let mut all = vec![
            ("name", text(name)),
            ("formalIpAgreement", Value::Bool(true)),
        ];
        all.extend(pairs.iter().cloned());
        create(store, RecordKind::SpinOff, &all)
    };
    spin_off(store, "Undated BV", &[("status", text("active"))]);
    spin_off(
        store,
        "Forgotten BV",
        &[
            ("incorporationDate", text("2015-01-01")),
            ("status", text("active")),
        ],
    );
    spin_off(
        store,
        "Vanished BV",
        &[
            ("incorporationDate", text("2010-01-01")),
            ("status", text("dissolved")),
            ("statusDate", text("2026-02-02")),
        ],
    );
    spin_off(
        store,
        "Veteran BV",
        &[
            ("incorporationDate", text("2001-05-05")),
            ("status", text("active")),
        ],
    );
    let sold = spin_off(
        store,
        "Sold BV",
        &[
            ("incorporationDate", text("2012-02-02")),
            ("status", text("exited")),
            ("statusDate", text("2024-06-30")),
        ],
    );
    for (name, closed, external) in [
        ("Undated external", None, true),
        ("Internal", Some("2025-05-05"), false),
        ("Series A", Some("2021-05-05"), true),
    ] {
        let mut pairs = vec![
            ("spinOffId", text(&sold)),
            ("name", text(name)),
            ("amount", Value::Int(5_000_000)),
            ("external", Value::Bool(external)),
        ];
        if let Some(c) = closed {
            pairs.push(("closedDate", text(c)));
        }
        create(store, RecordKind::FundingRound, &pairs);
    }
    create(
        store,
        RecordKind::ScoutingLead,
        &[
            ("topic", text("Undated conversion")),
            ("researchGroup", text("Optics")),
            ("outcome", text("contract")),
        ],
    );
    create(
        store,
        RecordKind::ScoutingLead,
        &[
            ("topic", text("Converted after the visit")),
            ("researchGroup", text("Optics")),
            ("visitDate", text("2024-11-11")),
            ("outcome", text("pps")),
            ("outcomeDate", text("2025-02-02")),
        ],
    );
}

/// Compares, for each year and financial-year start, the figures (values, breakdowns and
/// counted ids) and the data-quality warnings from one period's facts with those from
/// every record, and returns how many periods had something to count.
fn assert_period_facts_give_the_full_figures(
    store: &Store,
    years: std::ops::RangeInclusive<i32>,
) -> usize {
    let defs = DefinitionSet::from_json(DEFINITIONS).unwrap();
    let all = store.monitor_facts().unwrap();
    let mut counted = 0;
    for start in [
        FinancialYearStart::default(),
        FinancialYearStart { month: 7, day: 1 },
    ] {
        for year in years.clone() {
            let period = reporting_period(year, start).unwrap();
            let facts = store.monitor_period_facts(&period).unwrap();
            let full = compute_monitor(&defs, &all, &period);
            assert_eq!(
                compute_monitor(&defs, &facts, &period),
                full,
                "figures of {year} from {start:?}"
            );
            assert_eq!(
                data_quality(&facts, &period),
                data_quality(&all, &period),
                "data quality of {year} from {start:?}"
            );
            if full.figures.iter().any(|f| !f.record_ids.is_empty()) {
                counted += 1;
            }
        }
    }
    counted
}

#[test]
fn the_facts_of_one_period_give_the_same_figures_as_every_record() {
    // The rules' edge office with the edges of reading one period, and what the app's
    // forms refuse but an older file or a hand edit can hold: families spelled with other
    // white space, an undated priority filing, a dissolution without its date.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("office.sqlite3");
    let mut store = Store::open(&path).unwrap();
    office(&mut store);
    period_edges(&mut store);
    store
        .save_office_inputs(&change(), &inputs(2025, Some(1), Some(2), Some(3)))
        .unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "UPDATE patents SET family = ' EDGE-2' WHERE filing_date = '2020-01-10';
         UPDATE patents SET family = 'EDGE-2' || char(160, 9) WHERE filing_date = '2025-01-10';
         UPDATE patents SET is_priority = 1 WHERE family = 'EDGE-3' AND filing_date IS NULL;
         UPDATE spin_offs SET status = 'dissolved', status_date = NULL WHERE name = 'Forgotten BV';",
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    let counted = assert_period_facts_give_the_full_figures(&store, 2016..=2028);
    assert!(counted >= 10, "most periods count something: {counted}");

    // The demo office as the app loads it, and a synthetic office of 5,000 records.
    let today = date(2026, 11, 27);
    for office in [
        kto_core::demo::office(2026, today, 64, 48),
        kto_core::demo::synthetic(7, today, 5_000),
    ] {
        let mut store = Store::open_in_memory().unwrap();
        store.load_demo(&office, today, "Demo").unwrap();
        let counted = assert_period_facts_give_the_full_figures(&store, 2018..=2029);
        assert!(counted >= 6, "the demo years count something: {counted}");
    }
}

#[test]
fn one_period_reads_a_fraction_of_a_large_office() {
    let today = date(2026, 11, 27);
    let mut store = Store::open_in_memory().unwrap();
    store
        .load_demo(&kto_core::demo::synthetic(7, today, 5_000), today, "Demo")
        .unwrap();
    let all = store.monitor_facts().unwrap();
    let period = reporting_period(2025, FinancialYearStart::default()).unwrap();
    let year = store.monitor_period_facts(&period).unwrap();
    let size = |f: &kto_core::monitor::MonitorFacts| {
        f.disclosures.len()
            + f.patent_applications.len()
            + f.agreements.len()
            + f.income.len()
            + f.contributions.len()
            + f.scouting_leads.len()
    };
    assert!(
        size(&year) * 2 < size(&all),
        "2025 of an office over three years: {} of {} records",
        size(&year),
        size(&all)
    );
    let empty = reporting_period(2030, FinancialYearStart::default()).unwrap();
    assert_eq!(size(&store.monitor_period_facts(&empty).unwrap()), 0);
}
