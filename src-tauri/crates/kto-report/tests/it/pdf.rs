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
        submission_file: Some("kto-monitor-tue-2024-v1.json".into()),
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

/// Words with a lower-case letter followed by an upper-case one (`contractResearch`,
/// `agreementType:sme`): field and member codes that should have been put in words.
fn camel_case_words(text: &str) -> Vec<&str> {
    text.split_whitespace()
        .filter(|w| {
            w.chars()
                .zip(w.chars().skip(1))
                .any(|(a, b)| a.is_lowercase() && b.is_uppercase())
        })
        .collect()
}

#[test]
fn page_one_gives_the_board_the_headline_figures_and_verification_is_an_appendix() {
    let sub = fixtures::submission();
    for (locale, expected) in [
        (
            Locale::Nl,
            [
                "Kerncijfers 2024",
                "Uitvindingsmeldingen (ideeën van",
                "+6 ten opzichte van 2023 (+10,3%)",
                "Licentie-inkomsten",
                "+€ 134.567,89 ten opzichte van 2023 (+12,2%)",
                "Deze inzending is ondertekend",
            ],
        ),
        (
            Locale::En,
            [
                "Headline figures 2024",
                // The labels are the submission's own (the fixture's are Dutch).
                "Uitvindingsmeldingen (ideeën van",
                "+6 since 2023 (+10.3%)",
                "Licentie-inkomsten",
                "+€134,567.89 since 2023 (+12.2%)",
                "This submission is signed",
            ],
        ),
    ] {
        let pdf = render_report(&input(&sub, locale)).unwrap();
        let text = pdf_text(&pdf, "the headline page test");
        let pages: Vec<&str> = text.split('\u{c}').collect();
        let first = pages[0];
        for e in expected {
            assert!(first.contains(e), "`{e}` missing from page 1:\n{first}");
        }
        // Page 1 is for people: no key id, hash, command line or indicator code.
        let key_id = fixtures::key().signing_key.key_id().to_hex();
        for absent in [
            "minisign",
            key_id.as_str(),
            "SHA-256",
            "PA-PRIO",
            "IN-RES-EXP",
        ] {
            assert!(!first.contains(absent), "`{absent}` on page 1:\n{first}");
        }
        // The appendix, the last page, holds what a verifier needs.
        let last = pages.iter().rev().find(|p| !p.trim().is_empty()).unwrap();
        for e in [
            key_id.as_str(),
            "minisign -Vm kto-monitor-tue-2024-v1.json -p <key>.pub",
            ".schema.json",
        ] {
            assert!(last.contains(e), "`{e}` missing from the appendix:\n{last}");
        }
        // Nowhere a field or member code, nor a doubled word from a note template.
        assert_eq!(camel_case_words(&text), Vec::<&str>::new(), "{text}");
        assert!(!text.contains("value value"));
    }
}

#[test]
fn the_chart_titles_are_whole_labels_and_the_comparison_has_its_own_page() {
    let sub = fixtures::submission();
    let pdf = render_report(&input(&sub, Locale::En)).unwrap();
    let text = pdf_text(&pdf, "the chart title test");
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let charts = pages
        .iter()
        .find(|p| p.contains("Main indicators over the years"))
        .unwrap();
    assert!(
        !charts.contains('…'),
        "a chart title is cut short:\n{charts}"
    );
    assert!(!charts.contains("PA-PRIO"), "{charts}");
    let comparison = pages
        .iter()
        .position(|p| p.contains("Comparison with the previous year"))
        .unwrap();
    let figures = pages.iter().position(|p| p.contains("Figures")).unwrap();
    assert!(comparison > figures);
    assert!(
        pages[comparison]
            .trim_start()
            .starts_with("Comparison with the previous year"),
        "the comparison starts mid-page:\n{}",
        pages[comparison]
    );
}

#[test]
fn the_fonts_are_cut_down_to_the_characters_used_and_still_print_any_name() {
    let mut sub = fixtures::submission();
    sub.institution.name = "Uniwersytet Łódź – Ωmega Σ-lab".into();
    let pdf = render_report(&input(&sub, Locale::Nl)).unwrap();
    assert!(
        pdf.len() <= 200 * 1024,
        "the report is {} KB, more than 200 KB",
        pdf.len() / 1024
    );
    let text = pdf_text(&pdf, "the font subset test");
    assert!(text.contains("Uniwersytet Łódź – Ωmega Σ-lab"), "{text}");
    assert!(text.contains("€ 1.234.567,89"));
}
