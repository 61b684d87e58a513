//! The readable PDF report of a monitor submission (A4, printpdf 0.12).
//!
//! Sections: cover (institution, year, period, generation date, signature),
//! the figure table, a year-over-year table, small bar charts of the main
//! indicators over the years, data-quality notes and the signature details.
//! Text is set in DejaVu Sans, embedded from the workspace's `assets/fonts/`, so `€` and
//! Dutch diacritics print. Nothing here reads the clock: the generation date
//! is an argument, so the same input gives the same report content.

mod format;
mod layout;
mod national;
mod term_sheet;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use printpdf::{PdfDocument, PdfPage, PdfSaveOptions};

pub use format::{
    format_change, format_compact, format_count, format_date, format_eur_cents, format_fte,
    format_optional, format_value, not_available, Locale,
};
use layout::{
    Colour, Face, Layout, Style, ACCENT, ACCENT_LIGHT, BLACK, GREY, LEFT, LIGHT, PAGE_H, PAGE_W,
    RIGHT, SHADE, TOP,
};
pub use national::{format_ratio, render_national_report, NationalReportInput, HEADLINE_CODES};
pub use term_sheet::{render_term_sheet, SheetSection, TermSheetInput};

use crate::error::{Error, Result};
use crate::submission::{FigureOut, Submission, Unit};

const REGULAR_TTF: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../assets/fonts/DejaVuSans.ttf"
));
const BOLD_TTF: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../assets/fonts/DejaVuSans-Bold.ttf"
));

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
    verify_hint: &'static str,
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
    verify_hint: "Controleren: minisign -Vm <bestand>.json -p <sleutel>.pub",
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
    verify_hint: "Verify: minisign -Vm <file>.json -p <key>.pub",
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
    let mut doc = PdfDocument::new(&title);
    let regular = Face::load(&mut doc, REGULAR_TTF, "DejaVuSans.ttf")?;
    let bold = Face::load(&mut doc, BOLD_TTF, "DejaVuSans-Bold.ttf")?;
    set_dates(&mut doc, input.generated_on);
    doc.metadata.info.author = sub.institution.name.clone();
    doc.metadata.info.creator = format!("KTO Desk {}", sub.app_version);
    doc.metadata.info.subject = t.title.to_owned();

    let mut l = Layout::new(regular, bold);
    cover(&mut l, input, t);
    l.new_page();
    figure_table(&mut l, input, t);
    comparison_table(&mut l, input, t);
    charts(&mut l, input, t);
    notes(&mut l, input, t);

    let footer = format!("{} – {} {}", sub.institution.name, t.title, sub.year);
    let pages = l
        .finish(&footer, |n, total| {
            format!("{} {n} {} {total}", t.page, t.of)
        })
        .into_iter()
        .map(|ops| PdfPage::new(printpdf::Mm(PAGE_W), printpdf::Mm(PAGE_H), ops))
        .collect();
    let mut warnings = Vec::new();
    Ok(doc
        .with_pages(pages)
        .save(&PdfSaveOptions::default(), &mut warnings))
}

fn set_dates(doc: &mut PdfDocument, date: NaiveDate) {
    let ts = date.and_time(chrono::NaiveTime::MIN).and_utc().timestamp();
    if let Ok(when) = printpdf::OffsetDateTime::from_unix_timestamp(ts) {
        doc.metadata.info.creation_date = when;
        doc.metadata.info.modification_date = when;
        doc.metadata.info.metadata_date = when;
    }
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

fn cover(l: &mut Layout, input: &ReportInput<'_>, t: &Texts) {
    let sub = input.submission;
    let loc = input.locale;
    l.fill_rect(0.0, PAGE_H - 12.0, PAGE_W, 12.0, ACCENT);
    l.y = 240.0;
    l.text(LEFT, l.y, t.title, TITLE);
    l.y -= 14.0;
    let name_style = Style::new(16.0, true, BLACK);
    for line in l.wrap(&sub.institution.name, RIGHT - LEFT, name_style) {
        l.text(LEFT, l.y, &line, name_style);
        l.y -= name_style.line_height();
    }
    l.y -= 14.0;
    l.text(
        LEFT,
        l.y,
        &sub.year.to_string(),
        Style::new(40.0, true, ACCENT_LIGHT),
    );
    l.y -= 10.0;
    l.rule(LEFT, RIGHT, l.y, 0.5, LIGHT);
    l.y -= 8.0;

    let period = format!(
        "{} {} {}",
        format_date(sub.period.start, loc),
        t.to,
        format_date(sub.period.end, loc)
    );
    let mut rows = vec![
        (t.institution_id, sub.institution.id.clone()),
        (t.year, sub.year.to_string()),
        (t.period, period),
        (t.definitions, sub.definition_version.clone()),
        (t.generated, format_date(input.generated_on, loc)),
        (
            t.created,
            sub.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        ),
        (t.app, sub.app_version.clone()),
    ];
    if let Some(hash) = &sub.supersedes {
        rows.push((t.supersedes, hash.clone()));
    }
    key_values(l, &rows, 55.0, BODY);

    l.y -= 6.0;
    signature_block(l, input, t);
}

fn signature_block(l: &mut Layout, input: &ReportInput<'_>, t: &Texts) {
    l.text(LEFT, l.y, t.signature, Style::new(11.0, true, ACCENT));
    l.y -= 7.0;
    match &input.signature {
        Some(sig) => {
            let rows = [
                (t.key_id, sig.key_id.clone()),
                (t.fingerprint, group_hex(&sig.key_fingerprint)),
                (t.file_hash, group_hex(&sig.file_sha256)),
            ];
            key_values(l, &rows, 55.0, SMALL_BLACK);
            l.y -= 2.0;
            l.text(LEFT, l.y, t.verify_hint, SMALL);
            l.y -= SMALL.line_height();
        }
        None => {
            l.text(LEFT, l.y, t.unsigned, BODY_BOLD);
            l.y -= BODY.line_height();
        }
    }
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
    l.y -= 4.0;
    heading(l, t.comparison);
    let Some(prev) = comparison_year(input) else {
        l.text(LEFT, l.y, t.no_previous, BODY);
        l.y -= BODY.line_height();
        return;
    };
    const PREV_RIGHT: f32 = 128.0;
    const CUR_RIGHT: f32 = 163.0;
    const LABEL_W_CMP: f32 = 53.0;
    let prev_year = prev.year.to_string();
    let cur_year = sub.year.to_string();
    let columns = [
        (CODE_X, t.code, false),
        (LABEL_X, t.indicator, false),
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
        l.text(CODE_X, top, &figure.code, Style::new(8.5, true, BLACK));
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
            l.text(LABEL_X, l.y, line, small_value);
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
    l.y -= 4.0;
    l.ensure(PANEL_H + 30.0);
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
    let title_style = Style::new(8.5, true, BLACK);
    let title = l.truncate(
        &format!("{} – {}", figure.code, figure.label),
        w,
        title_style,
    );
    l.text(x, top, &title, title_style);
    let base = top - h + 8.0;
    let plot_top = top - 9.0;
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
