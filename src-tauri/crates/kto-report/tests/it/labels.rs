//! The report prints breakdowns and data-quality notes in words, never as codes.

use kto_core::monitor::{Problem, QualityWarning, RecordKind};
use kto_report::monitor::quality_note;
use kto_report::submission::Breakdown;
use kto_report::{render_report, Locale, ReportInput};

use crate::fixtures::{self, date};

fn text_of(locale: Locale) -> String {
    let mut sub = fixtures::submission();
    sub.figures[3].breakdowns = vec![
        Breakdown {
            key: "agreementType:contractResearch".into(),
            value: 3,
        },
        Breakdown {
            key: "partnerKind:publicBody".into(),
            value: 2,
        },
    ];
    let pdf = render_report(&ReportInput {
        submission: &sub,
        locale,
        generated_on: date(2025, 3, 14),
        previous_years: Vec::new(),
        chart_codes: Vec::new(),
        quality_notes: Vec::new(),
        signature: None,
        definitions: Vec::new(),
        submission_file: None,
    })
    .unwrap();
    crate::pdf::pdf_text(&pdf, "the breakdown labels test")
}

#[test]
fn breakdowns_are_printed_in_words_in_both_languages() {
    let en = text_of(Locale::En);
    assert!(
        en.contains("contract research") && en.contains("public body"),
        "{en}"
    );
    let nl = text_of(Locale::Nl);
    assert!(
        nl.contains("contractonderzoek") && nl.contains("overheid"),
        "{nl}"
    );
    for text in [&en, &nl] {
        assert!(
            !text.contains("partnerKind") && !text.contains("agreementType"),
            "{text}"
        );
    }
}

#[test]
fn quality_notes_say_in_words_what_to_do() {
    let w = |kind, field: &str, problem: fn(String) -> Problem| QualityWarning {
        record_kind: kind,
        record_id: Some("id".into()),
        problem: problem(field.into()),
    };
    let partner = quality_note(
        &w(RecordKind::Agreement, "partnerKind", |field| {
            Problem::MissingKind { field }
        }),
        Some("Chip licence"),
        Locale::En,
    );
    assert!(
        partner.contains("counterparty has no organisation kind"),
        "{partner}"
    );
    let value = quality_note(
        &w(RecordKind::Agreement, "value", |field| {
            Problem::MissingValue { field }
        }),
        Some("Chip licence"),
        Locale::En,
    );
    assert!(
        value.contains("the contract value is missing: enter it"),
        "{value}"
    );
    assert!(!value.contains("value value"), "{value}");
    let date_nl = quality_note(
        &w(RecordKind::Agreement, "signedDate", |field| {
            Problem::MissingDate { field }
        }),
        Some("Chiplicentie"),
        Locale::Nl,
    );
    assert!(
        date_nl.contains("datum van ondertekening ontbreekt"),
        "{date_nl}"
    );
}
