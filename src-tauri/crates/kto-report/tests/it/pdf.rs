//! The PDF report, read back with `pdftotext` (a test fails when poppler-utils is
//! not installed).

use std::process::Command;

use kto_report::{render_report, sign_submission, Error, Locale, ReportInput, SignatureInfo, Unit};

use crate::fixtures::{self, date};

fn input<'a>(submission: &'a kto_report::Submission, locale: Locale) -> ReportInput<'a> {
    let signed = sign_submission(submission, &fixtures::key().signing_key).unwrap();
    let public = fixtures::key().signing_key.public_key();
    ReportInput {
        submission,
        locale,
        generated_on: date(2025, 3, 14),
        previous_years: fixtures::previous_years(),
        chart_codes: vec!["ID".into(), "PA-PRIO".into(), "LI".into(), "SO".into()],
        quality_notes: vec![
            "Twee ideeën zijn dubbel gemeld en één keer geteld.".into(),
            "De licentie-inkomsten van één coöperatie komen uit de jaarrekening; naïeve schattingen zijn niet gebruikt.".into(),
        ],
        signature: Some(SignatureInfo {
            key_id: public.key_id().to_hex(),
            key_fingerprint: public.fingerprint(),
            file_sha256: signed.sha256,
        }),
        definitions: vec![(
            "ID".into(),
            "Uitvindingsmeldingen ontvangen in het verslagjaar, elk één keer geteld.".into(),
        )],
    }
}

/// Text of the PDF, pages separated by form feeds; fails the test when pdftotext is
/// missing.
pub(crate) fn pdf_text(pdf: &[u8], test: &str) -> String {
    fixtures::require_tool("pdftotext", "-v", test);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn page_count(text: &str) -> usize {
    text.matches('\u{c}').count()
}

#[test]
fn the_dutch_report_shows_figures_euro_amounts_and_diacritics() {
    let sub = fixtures::submission();
    let pdf = render_report(&input(&sub, Locale::Nl)).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_text(&pdf, "the Dutch report test");
    for expected in [
        "Jaarlijkse monitor kennisoverdracht",
        "Technische Universiteit Eindhoven",
        "1 januari 2024 t/m 31 december 2024",
        "Rapport gemaakt op",
        "14 maart 2025",
        "€ 1.234.567,89",                        // LI
        "Uitvindingsmeldingen ontvangen in het", // the definition of ID under its label
        "€ 412.500.000,00",                      // research expenditure
        "€ 9.876.543,21",                        // PPS-BASE
        "3.124,50 fte",
        "12,50 fte",
        "Uitvindingsmeldingen (ideeën van onderzoekers)",
        "coöperatie",
        "naïeve",
        "één",
        "niet beschikbaar",
        "Vergelijking met vorig jaar",
        "+10,3%", // ID 58 -> 64
        "Hoofdindicatoren door de jaren",
        "Opmerkingen over de datakwaliteit",
        "Ondertekening",
        &fixtures::key().signing_key.key_id().to_hex(),
    ] {
        assert!(
            text.contains(expected),
            "`{expected}` missing from report text:\n{text}"
        );
    }
    // Every figure code and its exact value appear.
    for f in &sub.figures {
        assert!(text.contains(&f.code), "{} missing", f.code);
    }
    // The fingerprint is printed in groups of four hex digits.
    let fp = fixtures::key().signing_key.public_key().fingerprint();
    assert!(
        text.contains(&fp[..4]) && text.contains(&fp[60..]),
        "fingerprint missing"
    );
    assert!(page_count(&text) >= 2);
}

#[test]
fn the_english_report_uses_english_number_formats() {
    let sub = fixtures::submission();
    let pdf = render_report(&input(&sub, Locale::En)).unwrap();
    let text = pdf_text(&pdf, "the English report test");
    for expected in [
        "Yearly knowledge transfer monitor",
        "€1,234,567.89",
        "3,124.50 FTE",
        "1 January 2024 to 31 December 2024",
        "not available",
        "+10.3%",
        "Page 1 of",
    ] {
        assert!(
            text.contains(expected),
            "`{expected}` missing from report text:\n{text}"
        );
    }
}

#[test]
fn a_long_figure_table_continues_on_further_pages_without_losing_rows() {
    let mut sub = fixtures::submission();
    for i in 0..150 {
        let mut f = fixtures::figure(
            &format!("X-{i:03}"),
            &format!("Extra indicator {i} with a fairly long label that has to wrap onto a second line in the table"),
            Unit::EurCents,
            Some(100_000 + i64::from(i)),
        );
        if i % 10 == 0 {
            f.breakdowns = vec![kto_report::Breakdown {
                key: "sme".into(),
                value: 1,
            }];
        }
        sub.figures.push(f);
    }
    let mut report = input(&sub, Locale::Nl);
    report.previous_years.clear();
    let pdf = render_report(&report).unwrap();
    let text = pdf_text(&pdf, "the pagination test");
    let pages = page_count(&text);
    assert!(pages >= 8, "only {pages} pages for 166 figures");
    for i in 0..150 {
        assert!(text.contains(&format!("X-{i:03}")), "X-{i:03} missing");
        assert!(
            text.contains(&format!("€ 1.0{:02},{:02}", i / 100, i % 100)),
            "value of X-{i:03} missing"
        );
    }
    assert!(text.contains("Kengetallen (vervolg)"));
    assert!(text.contains(&format!("Pagina {pages} van {pages}")));
    assert!(text.contains("Geen cijfers van eerdere jaren opgegeven."));
}

#[test]
fn an_unsigned_draft_says_so() {
    let sub = fixtures::submission();
    let mut report = input(&sub, Locale::En);
    report.signature = None;
    report.quality_notes.clear();
    let pdf = render_report(&report).unwrap();
    let text = pdf_text(&pdf, "the unsigned draft test");
    assert!(text.contains("Not signed: this is a draft."));
    assert!(text.contains("No notes."));
}

#[test]
fn a_chart_code_that_is_not_a_figure_is_refused() {
    let sub = fixtures::submission();
    let mut report = input(&sub, Locale::Nl);
    report.chart_codes = vec!["NOPE".into()];
    assert!(matches!(render_report(&report), Err(Error::Report { .. })));
}

#[test]
fn an_invalid_submission_is_not_rendered() {
    let mut sub = fixtures::submission();
    sub.year = 1999;
    let valid = fixtures::submission();
    let report = ReportInput {
        submission: &sub,
        ..input(&valid, Locale::Nl)
    };
    assert!(matches!(
        render_report(&report),
        Err(Error::InvalidSubmission { .. })
    ));
}
