//! The readable PDF report of a monitor submission (A4, printpdf 0.12), written for the
//! office's board.
//!
//! Page 1 is the headline: the main indicators of the year with their change since the
//! year before, and whether the submission is signed. Then every figure with what it
//! counts and its breakdowns, the comparison with the year before, bar charts of the main
//! indicators over the years, the data-quality notes and, as an appendix, what a third
//! party needs to verify the signed file. Every label is in words in the report's
//! language; no internal code is printed except the indicators' own codes in the figure
//! table, which tie a figure to its definition. Text is set in DejaVu Sans from the
//! workspace's `assets/fonts/`, subset to the characters used, so `€` and Dutch
//! diacritics print and the file stays small. Nothing here reads the clock: the
//! generation date is an argument, so the same input gives the same report.

mod format;
mod layout;
mod national;
mod term_sheet;

use std::collections::BTreeMap;

use chrono::NaiveDate;

pub use format::{
    format_change, format_compact, format_count, format_date, format_eur_cents, format_fte,
    format_optional, format_value, not_available, Locale,
};
use layout::{
    Colour, Layout, Style, ACCENT, ACCENT_LIGHT, BLACK, GREY, LEFT, LIGHT, PAGE_H, PAGE_W, RIGHT,
    SHADE, TOP,
};
pub use national::{format_ratio, render_national_report, NationalReportInput, HEADLINE_CODES};
pub use term_sheet::{render_term_sheet, SheetSection, TermSheetInput};

use crate::error::{Error, Result};
use crate::submission::{FigureOut, Submission, Unit};

const TITLE: Style = Style::new(22.0, true, ACCENT);
const H1: Style = Style::new(14.0, true, ACCENT);
const BODY: Style = Style::new(9.5, false, BLACK);
const BODY_BOLD: Style = Style::new(9.5, true, BLACK);
const SMALL: Style = Style::new(8.0, false, GREY);
const SMALL_BLACK: Style = Style::new(8.0, false, BLACK);
const HEADER: Style = Style::new(8.5, true, GREY);

/// Figures of one earlier year, for comparison and charts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearValues {
    /// The reported year.
    pub year: i32,
    /// Value per figure code; `None` (or a missing code) = not available.
    pub values: BTreeMap<String, Option<i64>>,
}

/// Signature details printed in the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureInfo {
    /// Minisign key id, 16 hex digits as `minisign` prints it.
    pub key_id: String,
    /// SHA-256 fingerprint of the public key.
    pub key_fingerprint: String,
    /// SHA-256 of the signed submission file.
    pub file_sha256: String,
}

/// Everything the report shows besides the submission itself.
#[derive(Debug, Clone)]
pub struct ReportInput<'a> {
    /// The submission to report.
    pub submission: &'a Submission,
    /// Language and number format.
    pub locale: Locale,
    /// Date printed as the generation date (not read from the clock).
    pub generated_on: NaiveDate,
    /// Earlier years' figures, in any order; the year before the reported
    /// year (or the latest earlier one) is used for the comparison table.
    pub previous_years: Vec<YearValues>,
    /// Codes of the main indicators to chart over the years; when empty the
    /// first four figures are charted.
    pub chart_codes: Vec<String>,
    /// Data-quality notes, one paragraph each.
    pub quality_notes: Vec<String>,
    /// Signature details, or `None` for an unsigned draft.
    pub signature: Option<SignatureInfo>,
    /// What each indicator counts (by code), in the report language, printed under its
    /// label in the figure table; codes without one print the label only.
    pub definitions: Vec<(String, String)>,
    /// The submission file's name, for the verification appendix; `None` for a draft
    /// that has no file yet.
    pub submission_file: Option<String>,
}

/// The report's fixed texts in one language.
struct Texts {
    title: &'static str,
    institution_id: &'static str,
    year: &'static str,
    period: &'static str,
    definitions: &'static str,
    generated: &'static str,
    created: &'static str,
    app: &'static str,
    supersedes: &'static str,
    signature: &'static str,
    key_id: &'static str,
    fingerprint: &'static str,
    file_hash: &'static str,
    unsigned: &'static str,
    figures: &'static str,
    continued: &'static str,
    code: &'static str,
    indicator: &'static str,
    value: &'static str,
    comparison: &'static str,
    change: &'static str,
    no_previous: &'static str,
    chart: &'static str,
    chart_note: &'static str,
    notes: &'static str,
    no_notes: &'static str,
    page: &'static str,
    of: &'static str,
    to: &'static str,
    reason: &'static str,
    headline: &'static str,
    headline_note: &'static str,
    since: &'static str,
    no_earlier: &'static str,
    signed_note: &'static str,
    notes_count: &'static str,
    appendix: &'static str,
    appendix_note: &'static str,
    submission: &'static str,
    file: &'static str,
    verify_steps: &'static str,
    schema_note: &'static str,
}

const NL: Texts = Texts {
    title: "Jaarlijkse monitor kennisoverdracht",
    institution_id: "Instelling-id",
    year: "Verslagjaar",
    period: "Periode",
    definitions: "Definitieversie",
    generated: "Rapport gemaakt op",
    created: "Inzending aangemaakt",
    app: "KTO Desk-versie",
    supersedes: "Vervangt inzending",
    signature: "Ondertekening",
    key_id: "Sleutel-id",
    fingerprint: "Vingerafdruk publieke sleutel (SHA-256)",
    file_hash: "SHA-256 van het inzendingsbestand",
    unsigned: "Niet ondertekend: dit is een concept.",
    figures: "Kengetallen",
    continued: "(vervolg)",
    code: "Code",
    indicator: "Indicator",
    value: "Waarde",
    comparison: "Vergelijking met vorig jaar",
    change: "Verschil",
    no_previous: "Geen cijfers van eerdere jaren opgegeven.",
    chart: "Hoofdindicatoren door de jaren",
    chart_note: "Donkere staaf: verslagjaar. n.b. = niet beschikbaar.",
    notes: "Opmerkingen over de datakwaliteit",
    no_notes: "Geen opmerkingen.",
    page: "Pagina",
    of: "van",
    to: "t/m",
    reason: "Reden",
    headline: "Kerncijfers",
    headline_note: "De hoofdindicatoren van het verslagjaar, met de verandering ten opzichte van het jaar ervoor. Alle kengetallen staan vanaf pagina 2.",
    since: "ten opzichte van",
    no_earlier: "geen eerder jaar om mee te vergelijken",
    signed_note: "Deze inzending is ondertekend met de sleutel van het bureau. Hoe een ander de handtekening controleert, staat in de bijlage.",
    notes_count: "Opmerkingen over de datakwaliteit: {n}. Ze staan na de grafieken.",
    appendix: "Bijlage: controle van de inzending",
    appendix_note: "Het inzendingsbestand is ondertekend met minisign. Wie het ontvangt, controleert met de publieke sleutel van het bureau dat het bestand sinds de ondertekening niet is veranderd en van dit bureau komt.",
    submission: "Inzending",
    file: "Inzendingsbestand",
    verify_steps: "Controleren met minisign (het bestand, zijn .minisig en de publieke sleutel van het bureau in één map):",
    schema_note: "Het bestand volgt het JSON-schema dat ernaast is geschreven (hetzelfde bestand met .schema.json).",
};

const EN: Texts = Texts {
    title: "Yearly knowledge transfer monitor",
    institution_id: "Institution id",
    year: "Reported year",
    period: "Period",
    definitions: "Definition version",
    generated: "Report generated on",
    created: "Submission created",
    app: "KTO Desk version",
    supersedes: "Supersedes submission",
    signature: "Signature",
    key_id: "Key id",
    fingerprint: "Public key fingerprint (SHA-256)",
    file_hash: "SHA-256 of the submission file",
    unsigned: "Not signed: this is a draft.",
    figures: "Figures",
    continued: "(continued)",
    code: "Code",
    indicator: "Indicator",
    value: "Value",
    comparison: "Comparison with the previous year",
    change: "Change",
    no_previous: "No figures of earlier years were given.",
    chart: "Main indicators over the years",
    chart_note: "Dark bar: reported year. n/a = not available.",
    notes: "Data-quality notes",
    no_notes: "No notes.",
    page: "Page",
    of: "of",
    to: "to",
    reason: "Reason",
    headline: "Headline figures",
    headline_note: "The main indicators of the reported year, with their change since the year before. Every figure follows from page 2.",
    since: "since",
    no_earlier: "no earlier year to compare with",
    signed_note: "This submission is signed with the office's key. How anyone can check the signature is set out in the appendix.",
    notes_count: "Data-quality notes: {n}. They follow the charts.",
    appendix: "Appendix: verifying the submission",
    appendix_note: "The submission file is signed with minisign. Whoever receives it checks with the office's public key that the file has not changed since it was signed and comes from this office.",
    submission: "Submission",
    file: "Submission file",
    verify_steps: "To verify with minisign (the file, its .minisig and the office's public key in one folder):",
    schema_note: "The file follows the JSON Schema written beside it (the same name with .schema.json).",
};

fn texts(locale: Locale) -> &'static Texts {
    match locale {
        Locale::Nl => &NL,
        Locale::En => &EN,
    }
}

fn short_na(locale: Locale) -> &'static str {
    match locale {
        Locale::Nl => "n.b.",
        Locale::En => "n/a",
    }
}

/// Renders the report and returns the PDF bytes.
///
/// # Errors
/// [`Error::InvalidSubmission`] if the submission breaks a format rule;
/// [`Error::Font`] if a bundled font cannot be parsed; [`Error::Report`] if
/// a chart code is not a figure of the submission.
pub fn render_report(input: &ReportInput<'_>) -> Result<Vec<u8>> {
    let sub = input.submission;
    sub.validate()?;
    for code in &input.chart_codes {
        if sub.figure(code).is_none() {
            return Err(Error::Report {
                reason: format!(
                    "chart code `{code}` is not a figure of the submission; choose one of its figure codes"
                ),
            });
        }
    }
    let t = texts(input.locale);
    let title = format!("{} {} – {}", t.title, sub.year, sub.institution.name);
    let mut l = Layout::new(&title, input.generated_on)?;
    l.info().author = sub.institution.name.clone();
    l.info().creator = format!("KTO Desk {}", sub.app_version);
    l.info().subject = t.title.to_owned();

    headline_page(&mut l, input, t);
    l.new_page();
    figure_table(&mut l, input, t);
    l.new_page();
    comparison_table(&mut l, input, t);
    l.new_page();
    charts(&mut l, input, t);
    notes(&mut l, input, t);
    l.new_page();
    appendix(&mut l, input, t);

    let footer = format!("{} – {} {}", sub.institution.name, t.title, sub.year);
    l.finish(&footer, |n, total| {
        format!("{} {n} {} {total}", t.page, t.of)
    })
}

fn heading(l: &mut Layout, text: &str) {
    l.ensure(H1.line_height() * 3.0);
    if l.y < TOP {
        l.y -= 6.0;
    }
    l.text(LEFT, l.y, text, H1);
    l.y -= 2.5;
    l.rule(LEFT, RIGHT, l.y, 0.8, ACCENT);
    l.y -= BODY.line_height() + 1.5;
}

/// Label/value rows: label in grey on the left, value wrapped on the right.
fn key_values(l: &mut Layout, rows: &[(&str, String)], label_width: f32, value_style: Style) {
    for (label, value) in rows {
        let labels = l.wrap(label, label_width - 3.0, SMALL);
        let values = l.wrap(value, RIGHT - LEFT - label_width, value_style);
        let n = labels.len().max(values.len());
        l.ensure(value_style.line_height() * n as f32);
        for i in 0..n {
            if let Some(text) = labels.get(i) {
                l.text(LEFT, l.y, text, SMALL);
            }
            if let Some(text) = values.get(i) {
                l.text(LEFT + label_width, l.y, text, value_style);
            }
            l.y -= value_style.line_height().max(SMALL.line_height());
        }
        l.y -= 1.2;
    }
}

/// The headline codes present in the submission, in [`HEADLINE_CODES`] order; when the
/// submission has none of them, its first six figures.
fn headline_figures(sub: &Submission) -> Vec<&FigureOut> {
    let listed: Vec<&FigureOut> = HEADLINE_CODES
        .iter()
        .filter_map(|c| sub.figure(c))
        .collect();
    if listed.is_empty() {
        sub.figures.iter().take(6).collect()
    } else {
        listed
    }
}

/// `+6`, `±0` or `€ -1.200,00`: the difference in the figure's own unit, signed.
fn difference(before: i64, now: i64, unit: Unit, loc: Locale) -> String {
    let diff = now.saturating_sub(before);
    let text = format_value(diff, unit, loc);
    match diff.signum() {
        1 => format!("+{text}"),
        0 => format!("±{text}"),
        _ => text,
    }
}

fn headline_page(l: &mut Layout, input: &ReportInput<'_>, t: &Texts) {
    let sub = input.submission;
    let loc = input.locale;
    l.fill_rect(0.0, PAGE_H - 12.0, PAGE_W, 12.0, ACCENT);
    l.y = TOP - 8.0;
    l.text(LEFT, l.y, t.title, TITLE);
    l.y -= 11.0;
    let name_style = Style::new(15.0, true, BLACK);
    for line in l.wrap(&sub.institution.name, RIGHT - 40.0 - LEFT, name_style) {
        l.text(LEFT, l.y, &line, name_style);
        l.y -= name_style.line_height();
    }
    l.text_right(
        RIGHT,
        TOP - 19.0,
        &sub.year.to_string(),
        Style::new(30.0, true, ACCENT_LIGHT),
    );
    l.y -= 1.0;
    let period = format!(
        "{}: {} {} {} · {} {} · {} {}",
        t.period,
        format_date(sub.period.start, loc),
        t.to,
        format_date(sub.period.end, loc),
        t.generated,
        format_date(input.generated_on, loc),
        t.definitions,
        sub.definition_version,
    );
    l.paragraph(LEFT, RIGHT, &period, SMALL);
    l.y -= 3.0;
    l.rule(LEFT, RIGHT, l.y, 0.5, LIGHT);
    l.y -= 9.0;

    heading(l, &format!("{} {}", t.headline, sub.year));
    l.paragraph(LEFT, RIGHT, t.headline_note, SMALL);
    l.y -= 3.0;
    let previous = comparison_year(input);
    const TILE_W: f32 = 82.0;
    const TILE_H: f32 = 36.0;
    const GAP: f32 = 6.0;
    for row in headline_figures(sub).chunks(2) {
        let top = l.y;
        for (i, figure) in row.iter().enumerate() {
            let x = LEFT + i as f32 * (TILE_W + GAP);
            headline_tile(l, x, top, (TILE_W, TILE_H), figure, previous, loc, t);
        }
        l.y = top - TILE_H - GAP;
    }

    l.y -= 2.0;
    let status = match &input.signature {
        Some(_) => t.signed_note,
        None => t.unsigned,
    };
    let style = if input.signature.is_some() {
        BODY
    } else {
        BODY_BOLD
    };
    l.paragraph(LEFT, RIGHT, status, style);
    if !input.quality_notes.is_empty() {
        let count = t
            .notes_count
            .replace("{n}", &input.quality_notes.len().to_string());
        l.text(LEFT, l.y, &count, BODY);
        l.y -= BODY.line_height();
    }
}

/// One headline figure in a shaded box: its label, the value in large type and the
/// change since the comparison year, in the unit and as a percentage.
#[allow(clippy::too_many_arguments)]
fn headline_tile(
    l: &mut Layout,
    x: f32,
    top: f32,
    (w, h): (f32, f32),
    figure: &FigureOut,
    previous: Option<&YearValues>,
    loc: Locale,
    t: &Texts,
) {
    l.fill_rect(x, top - h, w, h, SHADE);
    l.fill_rect(x, top - h, 1.2, h, ACCENT);
    let inner = w - 8.0;
    let label_style = Style::new(9.0, true, BLACK);
    let mut y = top - 6.0;
    for line in l.wrap(&figure.label, inner, label_style).iter().take(2) {
        l.text(x + 5.0, y, line, label_style);
        y -= label_style.line_height();
    }
    let big = Style::new(19.0, true, ACCENT);
    let value = format_optional(figure.value, figure.unit, loc);
    let value_style = if l.width(&value, big) > inner {
        Style::new(14.0, true, ACCENT)
    } else {
        big
    };
    l.text(x + 5.0, top - h + 12.0, &value, value_style);
    let change = match (previous, figure.value) {
        (None, _) => t.no_earlier.to_owned(),
        (Some(_), None) => not_available(loc).to_owned(),
        (Some(prev), Some(now)) => match previous_value(prev, &figure.code) {
            None => format!("{}: {}", prev.year, not_available(loc)),
            Some(before) => {
                let text = format!(
                    "{} {} {}",
                    difference(before, now, figure.unit, loc),
                    t.since,
                    prev.year
                );
                match format_change(Some(before), Some(now), loc) {
                    Some(pct) => format!("{text} ({pct})"),
                    None => text,
                }
            }
        },
    };
    let change = l.truncate(&change, inner, SMALL_BLACK);
    l.text(x + 5.0, top - h + 5.0, &change, SMALL_BLACK);
}

fn appendix(l: &mut Layout, input: &ReportInput<'_>, t: &Texts) {
    let sub = input.submission;
    heading(l, t.appendix);
    l.paragraph(LEFT, RIGHT, t.appendix_note, BODY);
    l.y -= 4.0;
    l.text(LEFT, l.y, t.submission, Style::new(11.0, true, ACCENT));
    l.y -= 7.0;
    let mut rows = vec![
        (t.institution_id, sub.institution.id.clone()),
        (t.year, sub.year.to_string()),
        (t.definitions, sub.definition_version.clone()),
        (
            t.created,
            sub.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        ),
        (t.app, sub.app_version.clone()),
    ];
    if let Some(file) = &input.submission_file {
        rows.insert(0, (t.file, file.clone()));
    }
    if let Some(hash) = &sub.supersedes {
        rows.push((t.supersedes, group_hex(hash)));
    }
    key_values(l, &rows, 55.0, BODY);
    l.y -= 4.0;
    l.text(LEFT, l.y, t.signature, Style::new(11.0, true, ACCENT));
    l.y -= 7.0;
    let Some(sig) = &input.signature else {
        l.text(LEFT, l.y, t.unsigned, BODY_BOLD);
        l.y -= BODY.line_height();
        return;
    };
    let rows = [
        (t.key_id, sig.key_id.clone()),
        (t.fingerprint, group_hex(&sig.key_fingerprint)),
        (t.file_hash, group_hex(&sig.file_sha256)),
    ];
    key_values(l, &rows, 55.0, SMALL_BLACK);
    l.y -= 3.0;
    l.paragraph(LEFT, RIGHT, t.verify_steps, BODY);
    let file = input
        .submission_file
        .clone()
        .unwrap_or_else(|| "<file>.json".to_owned());
    let command = format!("minisign -Vm {file} -p <key>.pub");
    for line in l.wrap(&command, RIGHT - LEFT - 6.0, SMALL_BLACK) {
        l.text(LEFT + 6.0, l.y, &line, SMALL_BLACK);
        l.y -= SMALL.line_height();
    }
    l.y -= 2.0;
    l.paragraph(LEFT, RIGHT, t.schema_note, BODY);
}

/// `abcd1234…` → `abcd 1234 …`, easier to compare by eye.
fn group_hex(hex: &str) -> String {
    let chars: Vec<char> = hex.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

// Figure table columns.
const CODE_X: f32 = LEFT + 1.5;
const LABEL_X: f32 = LEFT + 29.0;
const LABEL_W: f32 = 91.0;
const VALUE_RIGHT: f32 = RIGHT - 1.5;

fn table_header(l: &mut Layout, columns: &[(f32, &str, bool)]) {
    let h = HEADER.line_height() + 2.0;
    l.fill_rect(LEFT, l.y - 2.0, RIGHT - LEFT, h, SHADE);
    for (x, text, right) in columns {
        if *right {
            l.text_right(*x, l.y, text, HEADER);
        } else {
            l.text(*x, l.y, text, HEADER);
        }
    }
    l.y -= h + 1.0;
}

fn figure_table(l: &mut Layout, input: &ReportInput<'_>, t: &Texts) {
    let loc = input.locale;
    heading(l, t.figures);
    let columns = [
        (CODE_X, t.code, false),
        (LABEL_X, t.indicator, false),
        (VALUE_RIGHT, t.value, true),
    ];
    table_header(l, &columns);
    for figure in &input.submission.figures {
        let label_lines = l.wrap(&figure.label, LABEL_W, BODY);
        let definition_lines = input
            .definitions
            .iter()
            .find(|(code, _)| *code == figure.code)
            .map(|(_, text)| l.wrap(text, LABEL_W, SMALL))
            .unwrap_or_default();
        let reason_lines = match (&figure.value, &figure.not_available_reason) {
            (None, Some(reason)) => l.wrap(&format!("{}: {reason}", t.reason), LABEL_W, SMALL),
            _ => Vec::new(),
        };
        let row_h = BODY.line_height() * label_lines.len() as f32
            + SMALL.line_height()
                * (definition_lines.len() + reason_lines.len() + figure.breakdowns.len()) as f32
            + 1.5;
        if l.ensure(row_h) {
            heading(l, &format!("{} {}", t.figures, t.continued));
            table_header(l, &columns);
        }
        let top = l.y;
        l.text(CODE_X, top, &figure.code, BODY_BOLD);
        let value = format_optional(figure.value, figure.unit, loc);
        let value_style = if figure.value.is_some() {
            BODY
        } else {
            Style::new(9.5, false, GREY)
        };
        l.text_right(VALUE_RIGHT, top, &value, value_style);
        for line in &label_lines {
            l.text(LABEL_X, l.y, line, BODY);
            l.y -= BODY.line_height();
        }
        for line in &definition_lines {
            l.text(LABEL_X, l.y, line, Style::new(7.5, false, GREY));
            l.y -= SMALL.line_height();
        }
        for line in &reason_lines {
            l.text(LABEL_X + 3.0, l.y, line, SMALL);
            l.y -= SMALL.line_height();
        }
        for b in &figure.breakdowns {
            let key = l.truncate(
                &format!("– {}", crate::labels::breakdown_label(&b.key, loc)),
                LABEL_W - 3.0,
                SMALL_BLACK,
            );
            l.text(LABEL_X + 3.0, l.y, &key, SMALL_BLACK);
            l.text_right(
                VALUE_RIGHT,
                l.y,
                &format_value(b.value, figure.unit, loc),
                SMALL_BLACK,
            );
            l.y -= SMALL.line_height();
        }
        l.y -= 0.2;
        l.rule(LEFT, RIGHT, l.y + BODY.line_height() * 0.55, 0.25, LIGHT);
        l.y -= 1.3;
    }
}

/// The comparison year: the year before, or else the latest earlier year.
fn comparison_year<'a>(input: &'a ReportInput<'_>) -> Option<&'a YearValues> {
    let year = input.submission.year;
    input
        .previous_years
        .iter()
        .filter(|y| y.year < year)
        .max_by_key(|y| y.year)
}

fn previous_value(prev: &YearValues, code: &str) -> Option<i64> {
    prev.values.get(code).copied().flatten()
}

fn comparison_table(l: &mut Layout, input: &ReportInput<'_>, t: &Texts) {
    let loc = input.locale;
    let sub = input.submission;
    heading(l, t.comparison);
    let Some(prev) = comparison_year(input) else {
        l.text(LEFT, l.y, t.no_previous, BODY);
        l.y -= BODY.line_height();
        return;
    };
    const PREV_RIGHT: f32 = 128.0;
    const CUR_RIGHT: f32 = 163.0;
    const LABEL_W_CMP: f32 = 80.0;
    let prev_year = prev.year.to_string();
    let cur_year = sub.year.to_string();
    let columns = [
        (CODE_X, t.indicator, false),
        (PREV_RIGHT, prev_year.as_str(), true),
        (CUR_RIGHT, cur_year.as_str(), true),
        (VALUE_RIGHT, t.change, true),
    ];
    table_header(l, &columns);
    let small_value = Style::new(8.5, false, BLACK);
    for figure in &sub.figures {
        let lines = l.wrap(&figure.label, LABEL_W_CMP, small_value);
        let row_h = small_value.line_height() * lines.len() as f32 + 1.5;
        if l.ensure(row_h) {
            heading(l, &format!("{} {}", t.comparison, t.continued));
            table_header(l, &columns);
        }
        let before = previous_value(prev, &figure.code);
        let top = l.y;
        l.text_right(
            PREV_RIGHT,
            top,
            &cmp_value(before, figure.unit, loc),
            small_value,
        );
        l.text_right(
            CUR_RIGHT,
            top,
            &cmp_value(figure.value, figure.unit, loc),
            small_value,
        );
        let change = format_change(before, figure.value, loc).unwrap_or_else(|| "–".to_owned());
        l.text_right(VALUE_RIGHT, top, &change, small_value);
        for line in &lines {
            l.text(CODE_X, l.y, line, small_value);
            l.y -= small_value.line_height();
        }
        l.rule(
            LEFT,
            RIGHT,
            l.y + small_value.line_height() * 0.55,
            0.25,
            LIGHT,
        );
        l.y -= 1.5;
    }
}

fn cmp_value(value: Option<i64>, unit: Unit, loc: Locale) -> String {
    match value {
        Some(v) => format_value(v, unit, loc),
        None => short_na(loc).to_owned(),
    }
}

fn chart_figures<'a>(input: &'a ReportInput<'_>) -> Vec<&'a FigureOut> {
    let sub = input.submission;
    if input.chart_codes.is_empty() {
        sub.figures.iter().take(4).collect()
    } else {
        input
            .chart_codes
            .iter()
            .filter_map(|c| sub.figure(c))
            .collect()
    }
}

fn charts(l: &mut Layout, input: &ReportInput<'_>, t: &Texts) {
    let figures = chart_figures(input);
    if figures.is_empty() {
        return;
    }
    let mut years: Vec<&YearValues> = input
        .previous_years
        .iter()
        .filter(|y| y.year < input.submission.year)
        .collect();
    years.sort_by_key(|y| y.year);
    // At most five earlier years keep the bars readable.
    let skip = years.len().saturating_sub(5);
    let years = &years[skip..];

    const PANEL_W: f32 = 80.0;
    const PANEL_H: f32 = 58.0;
    const GAP: f32 = 10.0;
    heading(l, t.chart);
    l.text(LEFT, l.y, t.chart_note, SMALL);
    l.y -= SMALL.line_height() + 2.0;
    for row in figures.chunks(2) {
        l.ensure(PANEL_H + 4.0);
        let top = l.y;
        for (i, figure) in row.iter().enumerate() {
            let x = LEFT + i as f32 * (PANEL_W + GAP);
            let mut series: Vec<(i32, Option<i64>)> = years
                .iter()
                .map(|y| (y.year, previous_value(y, &figure.code)))
                .collect();
            series.push((input.submission.year, figure.value));
            bar_panel(l, x, top, PANEL_W, PANEL_H, figure, &series, input.locale);
        }
        l.y = top - PANEL_H - 6.0;
    }
}

/// One small bar chart: title, baseline, one bar per year with its value
/// above and the year below. Bars scale to the largest value shown.
#[allow(clippy::too_many_arguments)]
fn bar_panel(
    l: &mut Layout,
    x: f32,
    top: f32,
    w: f32,
    h: f32,
    figure: &FigureOut,
    series: &[(i32, Option<i64>)],
    loc: Locale,
) {
    // The label in words over at most two lines; a longer one ends in an ellipsis.
    let title_style = Style::new(8.5, true, BLACK);
    let mut lines = l.wrap(&figure.label, w, title_style);
    if lines.len() > 2 {
        let rest = lines[1..].join(" ");
        lines.truncate(1);
        lines.push(l.truncate(&rest, w, title_style));
    }
    let mut y = top;
    for line in &lines {
        l.text(x, y, line, title_style);
        y -= title_style.line_height();
    }
    let base = top - h + 8.0;
    let plot_top = y - 5.5;
    let max = series
        .iter()
        .filter_map(|(_, v)| *v)
        .map(|v| v.max(0))
        .max()
        .unwrap_or(0);
    l.rule(x, x + w, base, 0.6, GREY);
    let n = series.len().max(1) as f32;
    let slot = w / n;
    let bar_w = (slot * 0.6).min(14.0);
    let label_style = Style::new(6.5, false, BLACK);
    let year_style = Style::new(7.0, false, GREY);
    let last = series.len().saturating_sub(1);
    for (i, (year, value)) in series.iter().enumerate() {
        let centre = x + slot * (i as f32 + 0.5);
        l.text_centred(centre, base - 4.0, &year.to_string(), year_style);
        match value {
            Some(v) => {
                // Display scaling only; the printed label is the exact integer.
                let frac = if max > 0 {
                    (*v).max(0) as f64 / max as f64
                } else {
                    0.0
                };
                let bar_h = (frac * f64::from(plot_top - base - 5.0)) as f32;
                let colour: Colour = if i == last { ACCENT } else { ACCENT_LIGHT };
                l.fill_rect(centre - bar_w / 2.0, base, bar_w, bar_h, colour);
                let mut label = format_compact(*v, figure.unit, loc);
                let mut style = label_style;
                if l.width(&label, style) > slot {
                    style = Style::new(5.5, false, BLACK);
                    if l.width(&label, style) > slot {
                        label = l.truncate(&label, slot, style);
                    }
                }
                l.text_centred(centre, base + bar_h + 1.2, &label, style);
            }
            None => {
                l.text_centred(
                    centre,
                    base + 1.2,
                    short_na(loc),
                    Style::new(6.5, false, GREY),
                );
            }
        }
    }
}

fn notes(l: &mut Layout, input: &ReportInput<'_>, t: &Texts) {
    l.y -= 2.0;
    heading(l, t.notes);
    if input.quality_notes.is_empty() {
        l.text(LEFT, l.y, t.no_notes, BODY);
        l.y -= BODY.line_height();
    }
    for note in &input.quality_notes {
        let lines = l.wrap(note, RIGHT - LEFT - 6.0, BODY);
        for (i, line) in lines.iter().enumerate() {
            l.ensure(BODY.line_height());
            if i == 0 {
                l.text(LEFT + 1.0, l.y, "•", BODY);
            }
            l.text(LEFT + 6.0, l.y, line, BODY);
            l.y -= BODY.line_height();
        }
        l.y -= 1.5;
    }
}
