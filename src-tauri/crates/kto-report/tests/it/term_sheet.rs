//! A spin-off's term-sheet PDF, read back with `pdftotext`: the company's name, its terms
//! and, when a reference set was chosen, the verdicts and the set's source.

use chrono::NaiveDate;
use kto_core::money::Money;
use kto_core::settings::Language;
use kto_core::terms::deal::{
    AntiDilution, DealForm, DealTerms, Milestone, MinimumAnnualPayment, RoyaltyBase, TermKey,
};
use kto_core::terms::reference::{ReferenceSet, ReferenceSetId, TermRange};
use kto_report::term_sheet::{render_spin_off_term_sheet, term_sheet};
use kto_store::SpinOffTerms;

use crate::pdf::pdf_text;

fn stored() -> SpinOffTerms {
    SpinOffTerms {
        spin_off_id: "0190f3a4-0000-7000-8000-000000000001".into(),
        terms: DealTerms {
            form: Some(DealForm::Hybrid),
            university_equity_bp: Some(1_250),
            royalty_rate_bp: Some(350),
            royalty_base: Some(RoyaltyBase::NetSales),
            royalty_free_months: Some(18),
            sublicence_share_bp: None,
            exit_fee_bp: Some(100),
            anti_dilution: Some(AntiDilution::None),
            milestones: vec![Milestone {
                description: "CE mark for the coating".into(),
                amount: Money::from_euros(40_000),
                due: NaiveDate::from_ymd_opt(2027, 6, 30),
            }],
            minimum_annual_payment: Some(MinimumAnnualPayment {
                amount: Money::from_euros(5_000),
                from_contract_year: 4,
            }),
            patent_costs: None,
            days_to_signing: Some(75),
        },
        cap_table: None,
        reference_set_id: Some("office-holding-2026".into()),
        updated_at: None,
    }
}

fn office_set() -> ReferenceSet {
    ReferenceSet {
        id: ReferenceSetId("office-holding-2026".into()),
        name: "Holding policy 2026".into(),
        source: "Board decision of the university holding, March 2026".into(),
        source_date: Some("2026-03".into()),
        notes: vec![],
        ranges: vec![
            TermRange {
                term: TermKey::UniversityEquity,
                applies_to: None,
                min: Some(500),
                max: Some(1_000),
                note: "5-10 %".into(),
                section: String::new(),
            },
            TermRange {
                term: TermKey::RoyaltyRate,
                applies_to: None,
                min: Some(200),
                max: Some(400),
                note: "2-4 %".into(),
                section: String::new(),
            },
        ],
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

/// Collapses runs of whitespace and drops the space before `%`, so that neither table
/// layout nor pdftotext's guess at narrow spaces splits an expectation.
fn squeeze(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" %", "%")
}

#[test]
fn the_english_term_sheet_pdf_names_the_spin_off_and_states_each_agreed_term() {
    let pdf = render_spin_off_term_sheet(
        "HealCoat B.V.",
        &stored(),
        Some(&office_set()),
        Language::En,
        today(),
    )
    .unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_text(&pdf, "the English term sheet test");
    let text = squeeze(&text);
    for expected in [
        "HealCoat B.V.",
        "Term sheet",
        "Generated on 28 November 2026",
        "Hybrid (equity and royalties)",
        "University equity 12.5 %",
        "Royalty rate 3.5 % of net sales",
        "Royalty-free period 18 months",
        "Exit fee 1 %",
        "None: the stake is fully dilutive",
        "a year from contract year 4",
        "Term sheet to signed documents 75 days",
        "CE mark for the coating",
        "30 June 2027",
        "Checked against Holding policy 2026",
        "outside range (5 % – 10 %)",
        "within range (2 % – 4 %)",
        "Board decision of the university holding, March 2026",
    ] {
        let expected = squeeze(expected);
        assert!(text.contains(&expected), "missing {expected:?} in:\n{text}");
    }
    // Terms the deal leaves open say so rather than printing zero.
    assert!(
        text.contains("Share of sublicence income open"),
        "sublicence share not shown as open in:\n{text}"
    );
}

#[test]
fn the_dutch_term_sheet_pdf_uses_dutch_labels_and_decimal_commas() {
    let pdf = render_spin_off_term_sheet("HealCoat B.V.", &stored(), None, Language::Nl, today())
        .unwrap();
    let text = pdf_text(&pdf, "the Dutch term sheet test");
    let text = squeeze(&text);
    for expected in [
        "HealCoat B.V.",
        "Gemaakt op 28 november 2026",
        "Aandeel universiteit 12,5 %",
        "Royaltypercentage 3,5 % van de netto-omzet",
        "Mijlpalen",
    ] {
        let expected = squeeze(expected);
        assert!(text.contains(&expected), "missing {expected:?} in:\n{text}");
    }
    // Without a chosen set there is no check section.
    assert!(!text.contains("Getoetst aan"), "{text}");
}

#[test]
fn the_term_sheet_input_lists_the_check_verdict_for_every_term_the_deal_sets() {
    let sheet = term_sheet(
        "HealCoat B.V.",
        &stored(),
        Some(&office_set()),
        Language::En,
        today(),
    );
    let check = sheet
        .sections
        .iter()
        .find(|s| s.heading == "Checked against Holding policy 2026")
        .expect("a check section");
    let verdict = |label: &str| {
        check
            .rows
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no row {label}: {:?}", check.rows))
    };
    assert_eq!(verdict("University equity"), "outside range (5 % – 10 %)");
    assert_eq!(verdict("Royalty rate"), "within range (2 % – 4 %)");
    assert_eq!(verdict("Exit fee"), "not covered by the set");
    // The open sublicence share is left out of the check.
    assert!(check
        .rows
        .iter()
        .all(|(l, _)| l != "Share of sublicence income"));
}
