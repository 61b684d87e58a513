//! Table-driven tests of the monitor rules, with fixed dates.

use super::*;

const DEFAULT_SET: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../assets/monitor/definitions-2026.1.json"
));

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn od(s: &str) -> Option<NaiveDate> {
    Some(d(s))
}

fn eur(euros: i64) -> Money {
    Money::from_euros(euros)
}

fn calendar(year: i32) -> ReportingPeriod {
    reporting_period(year, FinancialYearStart::default()).unwrap()
}

fn july_year(year: i32) -> ReportingPeriod {
    reporting_period(year, FinancialYearStart { month: 7, day: 1 }).unwrap()
}

fn defs() -> DefinitionSet {
    DefinitionSet::from_json(DEFAULT_SET).unwrap()
}

fn figure(facts: &MonitorFacts, period: &ReportingPeriod, code: &str) -> Figure {
    let set = defs();
    let def = set.indicators.iter().find(|i| i.code == code).unwrap();
    compute_figure(def, facts, period)
}

fn count(n: u64) -> FigureValue {
    FigureValue::Count(n)
}

fn amount(euros: i64) -> FigureValue {
    FigureValue::Amount(eur(euros))
}

fn breakdown(f: &Figure, key: &str) -> FigureValue {
    f.breakdowns
        .iter()
        .find(|b| b.key == key)
        .unwrap_or_else(|| panic!("no breakdown {key}"))
        .value
}

fn ids(f: &Figure) -> Vec<&str> {
    f.record_ids.iter().map(String::as_str).collect()
}

fn disclosure(id: &str, received: Option<&str>) -> DisclosureFact {
    DisclosureFact {
        id: id.into(),
        received_date: received.map(d),
        inventor_shares_bp: vec![6_000, 4_000],
    }
}

fn application(
    id: &str,
    family: &str,
    j: &str,
    filed: Option<&str>,
    is_priority: bool,
) -> PatentApplicationFact {
    PatentApplicationFact {
        id: id.into(),
        family_id: family.into(),
        jurisdiction: Jurisdiction::new(j),
        filing_date: filed.map(d),
        is_priority,
        grant_date: None,
    }
}

fn agreement(
    id: &str,
    kind: AgreementKind,
    signed: &str,
    value: Option<i64>,
    partner: Option<OrganisationKind>,
) -> AgreementFact {
    AgreementFact {
        id: id.into(),
        kind: Some(kind),
        signed_date: od(signed),
        value: value.map(eur),
        partner_kind: partner,
    }
}

fn income(
    id: &str,
    received: &str,
    euros: i64,
    kind: IncomeKind,
    source: AgreementKind,
) -> IncomeFact {
    IncomeFact {
        id: id.into(),
        received_date: od(received),
        amount: eur(euros),
        kind: Some(kind),
        source_agreement_kind: Some(source),
    }
}

fn company(
    id: &str,
    incorporated: Option<&str>,
    formal: bool,
    status: CompanyStatus,
    status_date: Option<&str>,
) -> SpinOffFact {
    SpinOffFact {
        id: id.into(),
        incorporation_date: incorporated.map(d),
        has_formal_ip_agreement: formal,
        status,
        status_date: status_date.map(d),
        funding_rounds: Vec::new(),
    }
}

fn round(id: &str, date: &str, euros: i64, external: bool) -> FundingRoundFact {
    FundingRoundFact {
        id: id.into(),
        date: od(date),
        amount: eur(euros),
        external,
    }
}

fn contribution(
    id: &str,
    consortium: &str,
    year: i32,
    partner: &str,
    kind: PartnerKind,
    cash: i64,
    in_kind: i64,
) -> ContributionFact {
    ContributionFact {
        id: id.into(),
        consortium_id: consortium.into(),
        year,
        partner_id: partner.into(),
        partner_kind: kind,
        cash: eur(cash),
        in_kind_value: eur(in_kind),
        in_kind_hours: 0,
    }
}

fn lead(
    id: &str,
    group: &str,
    visit: Option<&str>,
    outcome: Option<LeadOutcome>,
    outcome_date: Option<&str>,
) -> ScoutingLeadFact {
    ScoutingLeadFact {
        id: id.into(),
        research_group: group.into(),
        visit_date: visit.map(d),
        outcome,
        outcome_date: outcome_date.map(d),
    }
}

fn inputs(
    id: &str,
    year: i32,
    exp: Option<i64>,
    res_fte: Option<u32>,
    kto_fte: Option<u32>,
) -> OfficeInputs {
    OfficeInputs {
        id: id.into(),
        year,
        research_expenditure: exp.map(eur),
        research_fte: res_fte,
        kto_fte,
    }
}

// ----- reporting period -----

#[test]
fn the_reporting_period_is_the_financial_year_ending_in_the_reported_year() {
    let cases = [
        (2025, 1, 1, "2025-01-01", "2025-12-31"),
        (2025, 7, 1, "2024-07-01", "2025-06-30"),
        (2024, 3, 1, "2023-03-01", "2024-02-29"),
        (2025, 4, 6, "2024-04-06", "2025-04-05"),
        (2025, 12, 31, "2024-12-31", "2025-12-30"),
    ];
    for (year, month, day, start, end) in cases {
        let p = reporting_period(year, FinancialYearStart { month, day }).unwrap();
        assert_eq!(
            (p.year, p.start, p.end),
            (year, d(start), d(end)),
            "{year} from {month}-{day}"
        );
    }
}

#[test]
fn a_financial_year_start_that_does_not_exist_every_year_is_rejected() {
    for (month, day) in [(2, 29), (13, 1), (4, 31), (0, 1)] {
        let err = reporting_period(2025, FinancialYearStart { month, day }).unwrap_err();
        assert!(
            matches!(err, MonitorError::InvalidFinancialYearStart { .. }),
            "{month}-{day}"
        );
    }
}

#[test]
fn a_year_beyond_the_calendar_is_an_error() {
    let err = reporting_period(i32::MAX, FinancialYearStart::default()).unwrap_err();
    assert!(err
        .to_string()
        .contains("could not compute the reporting period"));
}

// ----- definitions -----

#[test]
fn the_default_definition_set_parses_and_covers_every_section_8_indicator() {
    let set = defs();
    assert_eq!(set.version, "2026.1");
    let codes: Vec<&str> = set.indicators.iter().map(|i| i.code.as_str()).collect();
    for code in [
        "IN-RES-EXP",
        "IN-RES-FTE",
        "IN-KTO-FTE",
        "RA",
        "ID",
        "PA-PRIO",
        "PA-TOT",
        "PG",
        "LOA",
        "LI",
        "SO",
        "SO-INV",
        "SO-ACT3",
        "SU",
        "PPS-BASE",
        "SC-VIS",
    ] {
        assert!(codes.contains(&code), "{code} missing");
    }
    assert!(set
        .indicators
        .iter()
        .all(|i| !i.name_nl.is_empty() && !i.description_nl.is_empty()));
}

#[test]
fn a_definition_set_round_trips_through_json() {
    let set = defs();
    let json = serde_json::to_string(&set).unwrap();
    assert_eq!(DefinitionSet::from_json(&json).unwrap(), set);
}

#[test]
fn invalid_definition_sets_are_rejected_with_the_reason() {
    let mut bad_unit = defs();
    bad_unit.indicators[3].unit = Unit::Eur;
    let mut bad_breakdown = defs();
    bad_breakdown.indicators[5].breakdowns = vec![BreakdownKind::Jurisdiction];
    let mut duplicate = defs();
    duplicate.indicators[1].code = "IN-RES-EXP".into();
    let mut no_version = defs();
    no_version.version = " ".into();
    let cases: Vec<(DefinitionSet, &str)> = vec![
        (bad_unit, "its rule computes Number but the unit says Eur"),
        (
            bad_breakdown,
            "indicator ID: its rule cannot be broken down by jurisdiction",
        ),
        (duplicate, "IN-RES-EXP appears more than once"),
        (no_version, "it has no version"),
    ];
    for (set, message) in cases {
        let err = DefinitionSet::from_json(&serde_json::to_string(&set).unwrap()).unwrap_err();
        assert!(
            err.to_string().contains(message),
            "{err} should contain {message}"
        );
    }
}

#[test]
fn an_unknown_rule_kind_is_a_parse_error() {
    let json = DEFAULT_SET.replace("\"disclosuresReceived\"", "\"telepathy\"");
    let err = DefinitionSet::from_json(&json).unwrap_err();
    assert!(matches!(err, MonitorError::DefinitionsParse(_)));
    assert!(err
        .to_string()
        .starts_with("could not read the monitor definition set"));
}

#[test]
fn a_new_definition_version_can_relabel_reorder_and_drop_indicators() {
    let mut set = defs();
    set.version = "2027.1".into();
    set.indicators
        .retain(|i| ["ID", "SO-ACT3"].contains(&i.code.as_str()));
    set.indicators.reverse();
    set.indicators[1].code = "DISCL".into();
    set.indicators[0].rule = RuleKind::ActiveSpinOffs { min_age_years: 5 };
    let facts = MonitorFacts {
        disclosures: vec![disclosure("d1", Some("2025-03-01"))],
        spin_offs: vec![company(
            "s1",
            Some("2021-06-01"),
            true,
            CompanyStatus::Active,
            None,
        )],
        ..Default::default()
    };
    let result = compute_monitor(&set, &facts, &calendar(2025));
    assert_eq!(result.definition_version, "2027.1");
    let got: Vec<(&str, FigureValue)> = result
        .figures
        .iter()
        .map(|f| (f.code.as_str(), f.value))
        .collect();
    assert_eq!(got, [("SO-ACT3", count(0)), ("DISCL", count(1))]);
}

// ----- empty year and inputs -----

#[test]
fn an_empty_year_gives_zero_counts_and_amounts_but_unavailable_inputs() {
    let result = compute_monitor(&defs(), &MonitorFacts::default(), &calendar(2025));
    assert_eq!(result.figures.len(), defs().indicators.len());
    for f in &result.figures {
        let expected = match f.code.as_str() {
            "IN-RES-EXP" | "IN-RES-FTE" | "IN-KTO-FTE" => FigureValue::NotAvailable {
                reason: NotAvailableReason::InputNotRecorded,
            },
            "RA-VAL" | "LI" | "SO-INV-AMT" | "PPS-BASE" | "PPS-TSL" => amount(0),
            _ => count(0),
        };
        assert_eq!(f.value, expected, "{}", f.code);
        assert!(f.record_ids.is_empty());
    }
}

#[test]
fn not_available_and_zero_serialise_differently() {
    let facts = MonitorFacts::default();
    let json = serde_json::to_value(compute_monitor(&defs(), &facts, &calendar(2025))).unwrap();
    let figures = json["figures"].as_array().unwrap();
    let by_code = |c: &str| figures.iter().find(|f| f["code"] == c).unwrap().clone();
    assert_eq!(
        by_code("IN-RES-EXP")["value"],
        serde_json::json!({"type": "notAvailable", "value": {"reason": "inputNotRecorded"}})
    );
    assert_eq!(
        by_code("ID")["value"],
        serde_json::json!({"type": "count", "value": 0})
    );
    assert_eq!(
        by_code("LI")["value"],
        serde_json::json!({"type": "amount", "value": 0})
    );
    assert_eq!(json["definitionVersion"], "2026.1");
    assert_eq!(json["period"]["start"], "2025-01-01");
    assert!(by_code("ID")["recordIds"].is_array());
}

#[test]
fn yearly_inputs_are_taken_from_the_reported_year_and_missing_fields_are_unavailable() {
    let facts = MonitorFacts {
        office_inputs: vec![
            inputs("in-2024", 2024, Some(900), Some(100), Some(100)),
            inputs("in-2025", 2025, Some(1_000_000), Some(245_050), None),
        ],
        ..Default::default()
    };
    let p = calendar(2025);
    let f = figure(&facts, &p, "IN-RES-EXP");
    assert_eq!((f.value, ids(&f)), (amount(1_000_000), vec!["in-2025"]));
    assert_eq!(
        figure(&facts, &p, "IN-RES-FTE").value,
        FigureValue::Fte(245_050)
    );
    assert_eq!(
        figure(&facts, &p, "IN-KTO-FTE").value,
        FigureValue::NotAvailable {
            reason: NotAvailableReason::InputNotRecorded
        }
    );
}

#[test]
fn duplicate_yearly_inputs_count_when_they_agree_and_are_unavailable_when_they_conflict() {
    let facts = MonitorFacts {
        office_inputs: vec![
            inputs("a", 2025, Some(100), Some(1_000), None),
            inputs("b", 2025, Some(100), Some(2_000), Some(300)),
        ],
        ..Default::default()
    };
    let p = calendar(2025);
    let exp = figure(&facts, &p, "IN-RES-EXP");
    assert_eq!((exp.value, ids(&exp)), (amount(100), vec!["a", "b"]));
    let fte = figure(&facts, &p, "IN-RES-FTE");
    assert_eq!(
        fte.value,
        FigureValue::NotAvailable {
            reason: NotAvailableReason::ConflictingInputs
        }
    );
    assert_eq!(ids(&fte), ["a", "b"]);
    let kto = figure(&facts, &p, "IN-KTO-FTE");
    assert_eq!((kto.value, ids(&kto)), (FigureValue::Fte(300), vec!["b"]));
}

// ----- disclosures -----

#[test]
fn disclosures_are_counted_by_received_date_within_a_july_to_june_year() {
    let facts = MonitorFacts {
        disclosures: vec![
            disclosure("before", Some("2024-06-30")),
            disclosure("first-day", Some("2024-07-01")),
            disclosure("new-year", Some("2025-01-01")),
            disclosure("last-day", Some("2025-06-30")),
            disclosure("after", Some("2025-07-01")),
            disclosure("undated", None),
        ],
        ..Default::default()
    };
    let f = figure(&facts, &july_year(2025), "ID");
    assert_eq!(f.value, count(3));
    assert_eq!(ids(&f), ["first-day", "last-day", "new-year"]);
}

// ----- patents -----

fn patent_facts() -> MonitorFacts {
    let mut granted = application("f0-ep", "F0", "EP", Some("2021-05-01"), false);
    granted.grant_date = od("2025-09-01");
    let mut granted_late = application("f0-us", "F0", "US", Some("2021-05-01"), false);
    granted_late.grant_date = od("2026-01-01");
    MonitorFacts {
        patent_applications: vec![
            // F1: priority in 2025, PCT and EP follow-ups in 2025 and 2026.
            application("f1-nl", "F1", "NL", Some("2025-02-01"), true),
            application("f1-pct", "F1", "PCT", Some("2025-12-31"), false),
            application("f1-ep", "F1", "EP", Some("2026-01-15"), false),
            // F2: priority in 2024, its PCT in 2025: not a new priority filing.
            application("f2-ep", "F2", "EP", Some("2024-11-01"), true),
            application("f2-pct", "F2", "PCT", Some("2025-10-30"), false),
            // F3: two filings flagged as priority in 2025: counted once, earliest.
            application("f3-b", "F3", "US", Some("2025-06-01"), true),
            application("f3-a", "F3", "NL", Some("2025-04-01"), true),
            // F4: flagged priority in 2025 but an earlier priority of the family in 2024.
            application("f4-first", "F4", "NL", Some("2024-12-01"), true),
            application("f4-again", "F4", "NL", Some("2025-01-10"), true),
            // No family recorded: each is its own family.
            application("lone-1", "", "NL", Some("2025-03-01"), true),
            application("lone-2", " ", "NL", Some("2025-03-02"), true),
            // Undated.
            application("undated", "F5", "NL", None, true),
            granted,
            granted_late,
        ],
        ..Default::default()
    }
}

#[test]
fn priority_filings_are_counted_once_per_family_in_the_year_of_the_first_filing() {
    let f = figure(&patent_facts(), &calendar(2025), "PA-PRIO");
    assert_eq!(f.value, count(4));
    assert_eq!(ids(&f), ["f1-nl", "f3-a", "lone-1", "lone-2"]);
    assert_eq!(breakdown(&f, "jurisdiction:NL"), count(4));
    assert!(f.breakdowns.iter().all(|b| b.key != "jurisdiction:US"));
}

#[test]
fn the_priority_filing_of_last_year_is_not_counted_again_when_its_family_files_later() {
    let f = figure(&patent_facts(), &calendar(2024), "PA-PRIO");
    assert_eq!(ids(&f), ["f2-ep", "f4-first"]);
}

#[test]
fn all_filings_of_the_year_are_counted_including_pct_and_later_filings() {
    let f = figure(&patent_facts(), &calendar(2025), "PA-TOT");
    assert_eq!(f.value, count(8));
    assert_eq!(
        ids(&f),
        ["f1-nl", "f1-pct", "f2-pct", "f3-a", "f3-b", "f4-again", "lone-1", "lone-2"]
    );
    let keys: Vec<&str> = f.breakdowns.iter().map(|b| b.key.as_str()).collect();
    assert_eq!(
        keys,
        ["jurisdiction:NL", "jurisdiction:PCT", "jurisdiction:US"]
    );
    assert_eq!(breakdown(&f, "jurisdiction:PCT"), count(2));
}

#[test]
fn patents_are_counted_as_granted_in_the_year_of_the_grant() {
    let f = figure(&patent_facts(), &calendar(2025), "PG");
    assert_eq!((f.value, ids(&f)), (count(1), vec!["f0-ep"]));
    assert_eq!(breakdown(&f, "jurisdiction:EP"), count(1));
}

// ----- agreements and income -----

fn agreement_facts() -> MonitorFacts {
    use AgreementKind::*;
    use OrganisationKind::*;
    MonitorFacts {
        agreements: vec![
            agreement(
                "ra-collab",
                CollaborativeResearch,
                "2025-01-01",
                Some(100_000),
                Some(Sme),
            ),
            agreement(
                "ra-pps",
                ConsortiumAgreement,
                "2025-05-05",
                Some(250_000),
                Some(LargeCompany),
            ),
            agreement(
                "ra-contract",
                ContractResearch,
                "2025-12-31",
                Some(40_000),
                Some(LargeCompany),
            ),
            agreement(
                "ra-consult-novalue",
                Consultancy,
                "2025-03-03",
                None,
                Some(PublicBody),
            ),
            agreement(
                "ra-academic",
                ContractResearch,
                "2025-04-04",
                Some(10_000),
                Some(KnowledgeInstitution),
            ),
            agreement(
                "ra-unknown-partner",
                Consultancy,
                "2025-04-04",
                Some(5_000),
                None,
            ),
            agreement(
                "ra-last-year",
                ContractResearch,
                "2024-12-31",
                Some(1_000),
                Some(Sme),
            ),
            agreement("nda", Nda, "2025-02-02", None, Some(Sme)),
            agreement(
                "loa-licence-su",
                Licence,
                "2025-02-01",
                Some(10_000),
                Some(StartUp),
            ),
            agreement(
                "loa-licence-large",
                Licence,
                "2025-08-01",
                None,
                Some(LargeCompany),
            ),
            agreement(
                "loa-option-sme",
                OptionAgreement,
                "2025-09-01",
                None,
                Some(Sme),
            ),
            agreement("loa-assign-rom", Assignment, "2025-10-01", None, Some(Rom)),
            agreement("loa-licence-unknown", Licence, "2025-11-01", None, None),
            agreement("loa-next-year", Licence, "2026-01-01", None, Some(Sme)),
        ],
        income: vec![
            income(
                "inc-royalty",
                "2025-03-31",
                12_000,
                IncomeKind::Royalty,
                Licence,
            ),
            income(
                "inc-upfront",
                "2025-06-30",
                5_000,
                IncomeKind::UpfrontFee,
                OptionAgreement,
            ),
            income(
                "inc-equity",
                "2025-07-01",
                30_000,
                IncomeKind::EquitySale,
                Assignment,
            ),
            income(
                "inc-contract",
                "2025-04-01",
                99_000,
                IncomeKind::Milestone,
                ContractResearch,
            ),
            income("inc-old", "2024-12-31", 7_000, IncomeKind::Royalty, Licence),
            IncomeFact {
                kind: None,
                ..income(
                    "inc-nokind",
                    "2025-05-01",
                    1_000,
                    IncomeKind::Royalty,
                    Licence,
                )
            },
        ],
        ..Default::default()
    }
}

#[test]
fn research_agreements_count_non_academic_partners_by_type_and_partner_kind() {
    let f = figure(&agreement_facts(), &calendar(2025), "RA");
    assert_eq!(f.value, count(4));
    assert_eq!(
        ids(&f),
        ["ra-collab", "ra-consult-novalue", "ra-contract", "ra-pps"]
    );
    let table = [
        ("agreementType:collaborative", 2),
        ("agreementType:contractResearch", 1),
        ("agreementType:consultancy", 1),
        ("partnerKind:sme", 1),
        ("partnerKind:largeCompany", 2),
        ("partnerKind:publicBody", 1),
        ("partnerKind:startUp", 0),
    ];
    for (key, n) in table {
        assert_eq!(breakdown(&f, key), count(n), "{key}");
    }
    assert_eq!(f.breakdowns.len(), 3 + 7);
}

#[test]
fn research_agreement_value_sums_the_agreements_that_have_a_value() {
    let f = figure(&agreement_facts(), &calendar(2025), "RA-VAL");
    assert_eq!(f.value, amount(390_000));
    assert_eq!(ids(&f), ["ra-collab", "ra-contract", "ra-pps"]);
    assert_eq!(
        breakdown(&f, "agreementType:collaborative"),
        amount(350_000)
    );
    assert_eq!(breakdown(&f, "partnerKind:largeCompany"), amount(290_000));
    assert_eq!(breakdown(&f, "agreementType:consultancy"), amount(0));
}

#[test]
fn loa_agreements_are_broken_down_by_kind_and_licensee_kind() {
    let f = figure(&agreement_facts(), &calendar(2025), "LOA");
    assert_eq!(f.value, count(5));
    let table = [
        ("loaKind:licence", 3),
        ("loaKind:option", 1),
        ("loaKind:assignment", 1),
        ("licenseeKind:startUp", 1),
        ("licenseeKind:sme", 1),
        ("licenseeKind:large", 1),
        ("licenseeKind:other", 1),
        ("licenseeKind:unknown", 1),
    ];
    for (key, n) in table {
        assert_eq!(breakdown(&f, key), count(n), "{key}");
    }
    assert!(!f.record_ids.contains(&"loa-next-year".to_owned()));
}

#[test]
fn licence_income_sums_what_loa_agreements_brought_in_the_year() {
    let f = figure(&agreement_facts(), &calendar(2025), "LI");
    assert_eq!(f.value, amount(48_000));
    assert_eq!(
        ids(&f),
        ["inc-equity", "inc-nokind", "inc-royalty", "inc-upfront"]
    );
    assert_eq!(breakdown(&f, "incomeKind:royalty"), amount(12_000));
    assert_eq!(breakdown(&f, "incomeKind:milestone"), amount(0));
    assert_eq!(breakdown(&f, "incomeKind:unknown"), amount(1_000));
    let july = figure(&agreement_facts(), &july_year(2025), "LI");
    assert_eq!(
        ids(&july),
        ["inc-nokind", "inc-old", "inc-royalty", "inc-upfront"]
    );
}

#[test]
fn research_and_contract_payments_are_never_licence_income() {
    use AgreementKind::*;
    let mut facts = agreement_facts();
    facts.income.extend([
        // A research payment booked on a licence agreement is still not licence income.
        income(
            "inc-research-on-licence",
            "2025-05-01",
            40_000,
            IncomeKind::ResearchPayment,
            Licence,
        ),
        income(
            "inc-contract-payment",
            "2025-06-01",
            25_000,
            IncomeKind::ContractPayment,
            ContractResearch,
        ),
    ]);
    let f = figure(&facts, &calendar(2025), "LI");
    assert_eq!(f.value, amount(48_000), "the same as without them");
    assert!(!ids(&f).contains(&"inc-research-on-licence"));
    assert!(!ids(&f).contains(&"inc-contract-payment"));
    assert!(IncomeKind::Royalty.is_licence_income());
    assert!(!IncomeKind::ContractPayment.is_licence_income());
}

// ----- spin-offs and start-ups -----

#[test]
fn spin_offs_need_a_formal_ip_agreement_and_start_ups_have_none() {
    use CompanyStatus::*;
    let facts = MonitorFacts {
        spin_offs: vec![
            company("spin", Some("2025-03-01"), true, Active, None),
            company(
                "spin-dissolved",
                Some("2025-04-01"),
                true,
                Dissolved,
                Some("2025-11-01"),
            ),
            company("start", Some("2025-05-01"), false, Active, None),
            company("spin-old", Some("2024-12-31"), true, Active, None),
            company("undated", None, true, Active, None),
        ],
        ..Default::default()
    };
    let p = calendar(2025);
    let so = figure(&facts, &p, "SO");
    let su = figure(&facts, &p, "SU");
    assert_eq!(
        (so.value, ids(&so)),
        (count(2), vec!["spin", "spin-dissolved"])
    );
    assert_eq!((su.value, ids(&su)), (count(1), vec!["start"]));
}

/// (case, incorporated, formal IP agreement, status, status date, counted).
type ActiveCase = (
    &'static str,
    Option<&'static str>,
    bool,
    CompanyStatus,
    Option<&'static str>,
    bool,
);

#[test]
fn active_spin_offs_are_at_least_three_years_old_and_not_ended_at_the_period_end() {
    use CompanyStatus::*;
    // (case, incorporated, formal, status, status date, counted at the end of 2025)
    let cases: &[ActiveCase] = &[
        (
            "exactly three years old on the last day",
            Some("2022-12-31"),
            true,
            Active,
            None,
            true,
        ),
        (
            "one day short of three years",
            Some("2023-01-01"),
            true,
            Active,
            None,
            false,
        ),
        ("much older", Some("2010-06-15"), true, Active, None, true),
        (
            "dissolved after the period end",
            Some("2020-01-01"),
            true,
            Dissolved,
            Some("2026-01-01"),
            true,
        ),
        (
            "dissolved on the last day",
            Some("2020-01-01"),
            true,
            Dissolved,
            Some("2025-12-31"),
            false,
        ),
        (
            "exited during the year",
            Some("2020-01-01"),
            true,
            Exited,
            Some("2025-06-01"),
            false,
        ),
        (
            "exited after the period end",
            Some("2020-01-01"),
            true,
            Exited,
            Some("2026-03-01"),
            true,
        ),
        (
            "dissolved without a date",
            Some("2020-01-01"),
            true,
            Dissolved,
            None,
            false,
        ),
        (
            "a start-up, not a spin-off",
            Some("2020-01-01"),
            false,
            Active,
            None,
            false,
        ),
        ("no incorporation date", None, true, Active, None, false),
        (
            "incorporated after the period",
            Some("2026-02-01"),
            true,
            Active,
            None,
            false,
        ),
    ];
    for &(case, inc, formal, status, sd, counted) in cases {
        let facts = MonitorFacts {
            spin_offs: vec![company("s", inc, formal, status, sd)],
            ..Default::default()
        };
        assert_eq!(
            figure(&facts, &calendar(2025), "SO-ACT3").value,
            count(u64::from(counted)),
            "{case}"
        );
    }
}

#[test]
fn active_spin_offs_use_the_end_of_a_non_calendar_financial_year() {
    let facts = MonitorFacts {
        spin_offs: vec![
            company("ok", Some("2022-06-30"), true, CompanyStatus::Active, None),
            company(
                "young",
                Some("2022-07-01"),
                true,
                CompanyStatus::Active,
                None,
            ),
            company(
                "gone",
                Some("2019-01-01"),
                true,
                CompanyStatus::Dissolved,
                Some("2025-06-30"),
            ),
            company(
                "alive-at-end",
                Some("2019-01-01"),
                true,
                CompanyStatus::Dissolved,
                Some("2025-07-01"),
            ),
        ],
        ..Default::default()
    };
    let f = figure(&facts, &july_year(2025), "SO-ACT3");
    assert_eq!(ids(&f), ["alive-at-end", "ok"]);
}

#[test]
fn a_spin_off_born_on_29_february_turns_three_on_28_february() {
    let facts = MonitorFacts {
        spin_offs: vec![company(
            "leap",
            Some("2020-02-29"),
            true,
            CompanyStatus::Active,
            None,
        )],
        ..Default::default()
    };
    let fy_march = FinancialYearStart { month: 3, day: 1 };
    let p2023 = reporting_period(2023, fy_march).unwrap();
    assert_eq!(p2023.end, d("2023-02-28"));
    assert_eq!(figure(&facts, &p2023, "SO-ACT3").value, count(1));
}

#[test]
fn external_investment_counts_spin_offs_once_and_sums_their_external_rounds() {
    let mut a = company(
        "spin-a",
        Some("2022-01-01"),
        true,
        CompanyStatus::Active,
        None,
    );
    a.funding_rounds = vec![
        round("a-seed", "2025-02-01", 500_000, true),
        round("a-bridge", "2025-09-01", 250_000, true),
        round("a-internal", "2025-10-01", 100_000, false),
        round("a-old", "2024-12-31", 1_000_000, true),
    ];
    let mut b = company(
        "spin-b",
        Some("2023-01-01"),
        true,
        CompanyStatus::Active,
        None,
    );
    b.funding_rounds = vec![round("b-internal", "2025-03-01", 50_000, false)];
    let mut s = company(
        "start-c",
        Some("2023-01-01"),
        false,
        CompanyStatus::Active,
        None,
    );
    s.funding_rounds = vec![round("c-seed", "2025-03-01", 2_000_000, true)];
    let facts = MonitorFacts {
        spin_offs: vec![a, b, s],
        ..Default::default()
    };
    let p = calendar(2025);
    let n = figure(&facts, &p, "SO-INV");
    assert_eq!((n.value, ids(&n)), (count(1), vec!["spin-a"]));
    let amt = figure(&facts, &p, "SO-INV-AMT");
    assert_eq!(
        (amt.value, ids(&amt)),
        (amount(750_000), vec!["a-bridge", "a-seed"])
    );
}

// ----- PPS -----

#[test]
fn pps_base_sums_private_cash_of_the_year_and_pps_toeslag_applies_the_rvo_rules() {
    use PartnerKind::*;
    let facts = MonitorFacts {
        contributions: vec![
            contribution("c1", "K1", 2025, "uni", ResearchOrganisation, 0, 80_000),
            contribution("c2", "K1", 2025, "acme", PrivateCompany, 30_000, 0),
            contribution("c3", "K1", 2025, "kwf", Charity, 10_000, 0),
            contribution("c4", "K2", 2025, "acme", PrivateCompany, 0, 20_000),
            contribution("c5", "K2", 2025, "acme", PrivateCompany, 5_000, 0),
            contribution("c6", "K2", 2025, "gemeente", PublicBody, 50_000, 0),
            contribution("c7", "K1", 2024, "acme", PrivateCompany, 99_000, 0),
        ],
        ..Default::default()
    };
    let p = calendar(2025);
    let base = figure(&facts, &p, "PPS-BASE");
    assert_eq!(base.value, amount(45_000));
    assert_eq!(ids(&base), ["c2", "c3", "c4", "c5"]);
    assert_eq!(
        breakdown(&base, "partnerKind:privateCompany"),
        amount(35_000)
    );
    assert_eq!(breakdown(&base, "partnerKind:charity"), amount(10_000));
    // K1: acme 8,000 + 3,000, kwf 2,500; K2 (a separate consortium): acme 8,000 + 1,500.
    let tsl = figure(&facts, &p, "PPS-TSL");
    assert_eq!(tsl.value, amount(23_000));
    assert_eq!(ids(&tsl), ["c2", "c3", "c4", "c5"]);
    assert_eq!(breakdown(&tsl, "partnerKind:charity"), amount(2_500));
}

#[test]
fn pps_toeslag_for_2017_uses_the_flat_25_percent() {
    let facts = MonitorFacts {
        contributions: vec![contribution(
            "c",
            "K",
            2017,
            "acme",
            PartnerKind::PrivateCompany,
            30_000,
            10_000,
        )],
        ..Default::default()
    };
    assert_eq!(
        figure(&facts, &calendar(2017), "PPS-TSL").value,
        amount(7_500)
    );
    assert_eq!(
        figure(&facts, &calendar(2017), "PPS-BASE").value,
        amount(30_000)
    );
}

#[test]
fn pps_toeslag_is_unavailable_when_a_contribution_is_invalid() {
    let facts = MonitorFacts {
        contributions: vec![
            contribution("ok", "K1", 2025, "a", PartnerKind::PrivateCompany, 1_000, 0),
            contribution("neg", "K2", 2025, "b", PartnerKind::PrivateCompany, -5, 0),
        ],
        ..Default::default()
    };
    let f = figure(&facts, &calendar(2025), "PPS-TSL");
    assert_eq!(
        f.value,
        FigureValue::NotAvailable {
            reason: NotAvailableReason::InvalidRecords
        }
    );
    assert_eq!(ids(&f), ["neg"]);
}

// ----- scouting -----

#[test]
fn scouting_counts_distinct_groups_visited_and_leads_converted_in_the_year() {
    use LeadOutcome::*;
    let facts = MonitorFacts {
        scouting_leads: vec![
            lead(
                "l1",
                "Photonics",
                Some("2025-02-01"),
                Some(Disclosure),
                Some("2025-05-01"),
            ),
            lead(
                "l2",
                " photonics ",
                Some("2025-03-01"),
                Some(Parked),
                Some("2025-04-01"),
            ),
            lead(
                "l3",
                "Catalysis",
                Some("2025-04-01"),
                Some(Pps),
                Some("2026-02-01"),
            ),
            lead("l4", "", Some("2025-05-01"), None, None),
            lead(
                "l5",
                "Robotics",
                Some("2024-11-01"),
                Some(Contract),
                Some("2025-01-15"),
            ),
            lead("l6", "Robotics", None, None, None),
        ],
        ..Default::default()
    };
    let p = calendar(2025);
    let vis = figure(&facts, &p, "SC-VIS");
    assert_eq!(vis.value, count(3));
    assert_eq!(ids(&vis), ["l1", "l2", "l3", "l4"]);
    let conv = figure(&facts, &p, "SC-CONV");
    assert_eq!((conv.value, ids(&conv)), (count(2), vec!["l1", "l5"]));
    assert_eq!(breakdown(&conv, "outcome:disclosure"), count(1));
    assert_eq!(breakdown(&conv, "outcome:contract"), count(1));
    assert_eq!(breakdown(&conv, "outcome:pps"), count(0));
}

// ----- data quality -----

#[test]
fn data_quality_reports_what_the_figures_cannot_place_or_trust() {
    let mut bad_shares = disclosure("d-shares", Some("2025-02-01"));
    bad_shares.inventor_shares_bp = vec![5_000, 4_000];
    let mut old_bad_shares = disclosure("d-old-shares", Some("2020-02-01"));
    old_bad_shares.inventor_shares_bp = vec![];
    let mut spin = company("s-nodate", None, true, CompanyStatus::Dissolved, None);
    spin.funding_rounds = vec![FundingRoundFact {
        id: "r-nodate".into(),
        date: None,
        amount: eur(1),
        external: true,
    }];
    let facts = MonitorFacts {
        disclosures: vec![
            disclosure("d-ok", Some("2025-01-01")),
            disclosure("d-nodate", None),
            bad_shares,
            old_bad_shares,
        ],
        patent_applications: vec![
            application("pa-nodate", "F1", "NL", None, false),
            application("pa-nofamily", "", "NL", Some("2025-03-01"), false),
            application("pa-p1", "F2", "NL", Some("2025-03-01"), true),
            application("pa-p2", "F2", "US", Some("2025-04-01"), true),
        ],
        agreements: vec![
            AgreementFact {
                kind: None,
                ..agreement("a-nokind", AgreementKind::Nda, "2025-01-01", None, None)
            },
            AgreementFact {
                signed_date: None,
                ..agreement("a-nodate", AgreementKind::Nda, "2025-01-01", None, None)
            },
            agreement(
                "a-ra",
                AgreementKind::ContractResearch,
                "2025-01-01",
                None,
                None,
            ),
            agreement(
                "a-old-ra",
                AgreementKind::ContractResearch,
                "2019-01-01",
                None,
                None,
            ),
        ],
        income: vec![IncomeFact {
            kind: None,
            source_agreement_kind: None,
            ..income(
                "i-bare",
                "2025-01-01",
                1,
                IncomeKind::Royalty,
                AgreementKind::Licence,
            )
        }],
        spin_offs: vec![spin],
        contributions: vec![
            contribution("c-neg", "K", 2025, "p", PartnerKind::PrivateCompany, -1, 0),
            contribution("c-kind", "K", 2025, "p", PartnerKind::Charity, 1, 0),
        ],
        scouting_leads: vec![lead(
            "l-nogroup",
            " ",
            Some("2025-01-01"),
            Some(LeadOutcome::Pps),
            None,
        )],
        office_inputs: vec![
            inputs("o1", 2025, Some(1), Some(5), None),
            inputs("o2", 2025, Some(2), Some(5), None),
        ],
    };
    let warnings = data_quality(&facts, &calendar(2025));
    let got: Vec<(RecordKind, Option<&str>, Problem)> = warnings
        .iter()
        .map(|w| (w.record_kind, w.record_id.as_deref(), w.problem.clone()))
        .collect();
    let f = |s: &str| s.to_owned();
    use Problem::*;
    use RecordKind as R;
    let expected: Vec<(RecordKind, Option<&str>, Problem)> = vec![
        (
            R::Disclosure,
            Some("d-nodate"),
            MissingDate {
                field: f("receivedDate"),
            },
        ),
        (
            R::Disclosure,
            Some("d-shares"),
            InventorSharesNot100 { sum_bp: 9_000 },
        ),
        (
            R::PatentApplication,
            Some("pa-nodate"),
            MissingDate {
                field: f("filingDate"),
            },
        ),
        (R::PatentApplication, Some("pa-nofamily"), MissingFamily),
        (
            R::PatentApplication,
            Some("pa-p1"),
            MultiplePriorityFilings { family_id: f("F2") },
        ),
        (
            R::PatentApplication,
            Some("pa-p2"),
            MultiplePriorityFilings { family_id: f("F2") },
        ),
        (
            R::Agreement,
            Some("a-nokind"),
            MissingKind { field: f("kind") },
        ),
        (
            R::Agreement,
            Some("a-nodate"),
            MissingDate {
                field: f("signedDate"),
            },
        ),
        (
            R::Agreement,
            Some("a-ra"),
            MissingKind {
                field: f("partnerKind"),
            },
        ),
        (
            R::Agreement,
            Some("a-ra"),
            MissingValue { field: f("value") },
        ),
        (
            R::Income,
            Some("i-bare"),
            MissingKind {
                field: f("sourceAgreementKind"),
            },
        ),
        (R::Income, Some("i-bare"), MissingKind { field: f("kind") }),
        (
            R::SpinOff,
            Some("s-nodate"),
            MissingDate {
                field: f("incorporationDate"),
            },
        ),
        (
            R::SpinOff,
            Some("s-nodate"),
            MissingDate {
                field: f("statusDate"),
            },
        ),
        (
            R::FundingRound,
            Some("r-nodate"),
            MissingDate { field: f("date") },
        ),
        (
            R::Contribution,
            Some("c-neg"),
            NegativeAmount { field: f("cash") },
        ),
        (R::Contribution, Some("c-kind"), ConflictingPartnerKind),
        (R::ScoutingLead, Some("l-nogroup"), MissingResearchGroup),
        (
            R::ScoutingLead,
            Some("l-nogroup"),
            MissingDate {
                field: f("outcomeDate"),
            },
        ),
        (
            R::OfficeInputs,
            Some("o1"),
            ConflictingInputs {
                field: f("researchExpenditure"),
            },
        ),
        (
            R::OfficeInputs,
            Some("o2"),
            ConflictingInputs {
                field: f("researchExpenditure"),
            },
        ),
        (R::OfficeInputs, None, MissingInput { field: f("ktoFte") }),
    ];
    assert_eq!(got, expected);
}

#[test]
fn clean_facts_give_no_quality_warnings() {
    let facts = MonitorFacts {
        disclosures: vec![disclosure("d", Some("2025-01-01"))],
        office_inputs: vec![inputs("o", 2025, Some(1), Some(1), Some(1))],
        ..Default::default()
    };
    assert!(data_quality(&facts, &calendar(2025)).is_empty());
}

#[test]
fn quality_warnings_serialise_with_a_type_tag() {
    let w = QualityWarning {
        record_kind: RecordKind::SpinOff,
        record_id: Some("s".into()),
        problem: Problem::MissingDate {
            field: "incorporationDate".into(),
        },
    };
    assert_eq!(
        serde_json::to_value(&w).unwrap(),
        serde_json::json!({"recordKind": "spinOff", "recordId": "s", "problem": {"type": "missingDate", "field": "incorporationDate"}})
    );
}

// ----- year over year -----

fn fig(code: &str, value: FigureValue) -> Figure {
    Figure {
        code: code.into(),
        value,
        breakdowns: vec![],
        record_ids: vec![],
    }
}

#[test]
fn year_over_year_flags_figures_that_moved_more_than_the_factor() {
    let na = FigureValue::NotAvailable {
        reason: NotAvailableReason::InputNotRecorded,
    };
    // (code, previous, current, expected flag) with factor 2.00
    let cases: Vec<(&str, FigureValue, FigureValue, Option<ChangeKind>)> = vec![
        ("doubled exactly", count(10), count(20), None),
        (
            "more than doubled",
            count(10),
            count(21),
            Some(ChangeKind::Increase),
        ),
        ("halved exactly", count(10), count(5), None),
        (
            "less than half",
            count(10),
            count(4),
            Some(ChangeKind::Decrease),
        ),
        ("from zero", count(0), count(1), Some(ChangeKind::Increase)),
        (
            "to zero",
            amount(100),
            amount(0),
            Some(ChangeKind::Decrease),
        ),
        ("zero both years", count(0), count(0), None),
        ("steady amount", amount(1_000), amount(1_500), None),
        (
            "fte tripled",
            FigureValue::Fte(100),
            FigureValue::Fte(300),
            Some(ChangeKind::Increase),
        ),
        (
            "became available",
            na,
            amount(5),
            Some(ChangeKind::BecameAvailable),
        ),
        (
            "became unavailable",
            FigureValue::Fte(5),
            na,
            Some(ChangeKind::BecameUnavailable),
        ),
        ("unavailable both years", na, na, None),
        (
            "unit changed",
            count(5),
            amount(5),
            Some(ChangeKind::UnitChanged),
        ),
        (
            "sign flipped",
            FigureValue::Amount(Money::from_cents(-5)),
            amount(5),
            Some(ChangeKind::Increase),
        ),
    ];
    let previous: Vec<Figure> = cases.iter().map(|(c, p, _, _)| fig(c, *p)).collect();
    let mut current: Vec<Figure> = cases.iter().map(|(c, _, n, _)| fig(c, *n)).collect();
    current.push(fig("new indicator", count(7)));
    let changes = year_over_year(&current, &previous, 200).unwrap();
    let got: Vec<(&str, ChangeKind)> = changes.iter().map(|c| (c.code.as_str(), c.kind)).collect();
    let want: Vec<(&str, ChangeKind)> = cases
        .iter()
        .filter_map(|(c, _, _, k)| k.map(|k| (*c, k)))
        .collect();
    assert_eq!(got, want);
    let more = changes
        .iter()
        .find(|c| c.code == "more than doubled")
        .unwrap();
    assert_eq!((more.previous, more.current), (count(10), count(21)));
}

#[test]
fn a_change_factor_of_one_or_less_is_rejected() {
    for factor in [0, 50, 100] {
        let err = year_over_year(&[], &[], factor).unwrap_err();
        assert!(
            matches!(err, MonitorError::InvalidChangeFactor { .. }),
            "{factor}"
        );
    }
    assert!(year_over_year(&[], &[], 101).unwrap().is_empty());
}
