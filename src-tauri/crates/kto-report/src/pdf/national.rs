//! The national monitor report as a PDF, for a ministry reader: the headline figures of
//! the latest year first (national total, per €100 million research expenditure and per
//! 1,000 research FTE, the offices it lacks), then charts of the national totals over
//! the years, every indicator of the latest year, every office's headline figures, the
//! definition versions used, and the submissions counted with their SHA-256.
//!
//! Labels are the indicators' names in words, in Dutch or English; institutions are
//! named, not coded. Layout, fonts and charts are those of the office report.

use super::layout::{
    Layout, Style, ACCENT, ACCENT_LIGHT, BLACK, GREY, LEFT, LIGHT, PAGE_H, PAGE_W, RIGHT, TOP,
};
use super::{
    bar_panel, format_count, format_date, format_optional, format_value, group_hex, heading,
    key_values, table_header, Locale, BODY, BODY_BOLD, SMALL, SMALL_BLACK, TITLE,
};
use crate::error::{Error, Result};
use crate::national::aggregate::{FigureTotal, NationalAggregate, YearAggregate};
use crate::submission::{FigureOut, Unit};
use chrono::NaiveDate;

/// Indicators shown first and charted, when received.
pub const HEADLINE_CODES: [&str; 6] = ["ID", "PA-PRIO", "LOA", "LI", "SO", "RA"];

/// What the national report prints besides the aggregate.
#[derive(Debug, Clone)]
pub struct NationalReportInput<'a> {
    /// The aggregate.
    pub aggregate: &'a NationalAggregate,
    /// Language and number format.
    pub locale: Locale,
    /// Date printed as the generation date.
    pub generated_on: NaiveDate,
    /// SHA-256 of the signed aggregate file, when signed.
    pub aggregate_sha256: Option<String>,
    /// Key id of the coordinator's key, when signed.
    pub key_id: Option<String>,
}

struct Words {
    title: &'static str,
    subtitle: &'static str,
    years: &'static str,
    offices: &'static str,
    generated: &'static str,
    headline: &'static str,
    headline_note: &'static str,
    national: &'static str,
    per_100m: &'static str,
    per_1000: &'static str,
    lacking: &'static str,
    complete: &'static str,
    of_offices: &'static str,
    trends: &'static str,
    trend_note: &'static str,
    all: &'static str,
    indicator: &'static str,
    total: &'static str,
    per_office: &'static str,
    office: &'static str,
    versions: &'static str,
    mixed: &'static str,
    single: &'static str,
    submissions: &'static str,
    signature: &'static str,
    file_hash: &'static str,
    key_id: &'static str,
    unsigned: &'static str,
    page: &'static str,
    of: &'static str,
    continued: &'static str,
}

const EN: Words = Words {
    title: "National knowledge transfer monitor",
    subtitle: "All Dutch knowledge transfer offices, from their signed yearly submissions",
    years: "Years received",
    offices: "Offices counted in",
    generated: "Report generated on",
    headline: "Headline figures",
    headline_note: "National totals of the offices that reported the figure. A figure an office could not report is not counted as zero: the offices it lacks are named.",
    national: "National total",
    per_100m: "per €100 million research expenditure",
    per_1000: "per 1,000 research FTE",
    lacking: "Not available from",
    complete: "All offices reported it.",
    of_offices: "offices",
    trends: "National totals over the years",
    trend_note: "Dark bar: latest year. n/a = no office reported it.",
    all: "All indicators",
    indicator: "Indicator",
    total: "National total",
    per_office: "Headline figures per office",
    office: "Office",
    versions: "Definition versions",
    mixed: "Offices used different definition versions this year; their figures are totalled per version and never added together.",
    single: "All offices used the same definition version.",
    submissions: "Submissions counted",
    signature: "Signature of the national aggregate",
    file_hash: "SHA-256 of the aggregate file",
    key_id: "Coordinator's key id",
    unsigned: "Not signed: this is a draft.",
    page: "Page",
    of: "of",
    continued: "(continued)",
};

const NL: Words = Words {
    title: "Nationale monitor kennisoverdracht",
    subtitle: "Alle Nederlandse kennisoverdrachtsbureaus, uit hun ondertekende jaarlijkse inzendingen",
    years: "Ontvangen jaren",
    offices: "Bureaus meegeteld in",
    generated: "Rapport gemaakt op",
    headline: "Kerncijfers",
    headline_note: "Landelijke totalen van de bureaus die het cijfer opgaven. Een cijfer dat een bureau niet kon opgeven telt niet als nul: de bureaus die ontbreken worden genoemd.",
    national: "Landelijk totaal",
    per_100m: "per € 100 miljoen onderzoeksuitgaven",
    per_1000: "per 1.000 fte onderzoekspersoneel",
    lacking: "Niet beschikbaar van",
    complete: "Alle bureaus gaven het op.",
    of_offices: "bureaus",
    trends: "Landelijke totalen door de jaren",
    trend_note: "Donkere staaf: laatste jaar. n.b. = geen bureau gaf het op.",
    all: "Alle indicatoren",
    indicator: "Indicator",
    total: "Landelijk totaal",
    per_office: "Kerncijfers per bureau",
    office: "Bureau",
    versions: "Definitieversies",
    mixed: "Bureaus gebruikten dit jaar verschillende definitieversies; hun cijfers zijn per versie opgeteld en nooit bij elkaar.",
    single: "Alle bureaus gebruikten dezelfde definitieversie.",
    submissions: "Meegetelde inzendingen",
    signature: "Ondertekening van het landelijke totaal",
    file_hash: "SHA-256 van het totaalbestand",
    key_id: "Sleutel-id van de coördinator",
    unsigned: "Niet ondertekend: dit is een concept.",
    page: "Pagina",
    of: "van",
    continued: "(vervolg)",
};

fn words(locale: Locale) -> &'static Words {
    match locale {
        Locale::Nl => &NL,
        Locale::En => &EN,
    }
}

/// A normalised value (in the figure's unit, possibly fractional) for print.
pub fn format_ratio(value: f64, unit: Unit, locale: Locale) -> String {
    match unit {
        Unit::Count => {
            let tenths = (value * 10.0).round() as i64;
            let decimal = match locale {
                Locale::Nl => ',',
                Locale::En => '.',
            };
            format!(
                "{}{decimal}{}",
                format_count(tenths / 10, locale),
                (tenths % 10).abs()
            )
        }
        Unit::EurCents | Unit::FteHundredths => format_value(value.round() as i64, unit, locale),
    }
}

fn label(f: &FigureTotal, locale: Locale) -> &str {
    match locale {
        Locale::Nl => &f.label_nl,
        Locale::En => &f.label_en,
    }
}

/// The offices' names for ids, as registered.
fn names(aggregate: &NationalAggregate, year: i32, ids: &[String]) -> String {
    ids.iter()
        .map(|id| {
            aggregate
                .submissions
                .iter()
                .find(|s| s.year == year && &s.institution_id == id)
                .map_or(id.clone(), |s| s.institution_name.clone())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Renders the national report and returns the PDF bytes.
///
/// # Errors
/// [`Error::Report`] for an aggregate without any year; [`Error::Font`] if a bundled
/// font cannot be parsed.
pub fn render_national_report(input: &NationalReportInput<'_>) -> Result<Vec<u8>> {
    let agg = input.aggregate;
    let Some(latest) = agg.years.last() else {
        return Err(Error::Report {
            reason: "the national aggregate has no year; accept at least one submission first"
                .to_owned(),
        });
    };
    let w = words(input.locale);
    let mut l = Layout::new(&format!("{} {}", w.title, latest.year), input.generated_on)?;
    l.info().subject = w.title.to_owned();
    l.info().creator = "KTO Desk".to_owned();
    cover_and_headlines(&mut l, input, latest, w);
    l.new_page();
    trends(&mut l, input, w);
    all_indicators(&mut l, input, latest, w);
    per_office(&mut l, input, latest, w);
    versions_and_submissions(&mut l, input, w);

    let footer = format!("{} {}", w.title, latest.year);
    l.finish(&footer, |n, total| {
        format!("{} {n} {} {total}", w.page, w.of)
    })
}

fn cover_and_headlines(
    l: &mut Layout,
    input: &NationalReportInput<'_>,
    latest: &YearAggregate,
    w: &Words,
) {
    let agg = input.aggregate;
    let loc = input.locale;
    l.fill_rect(0.0, PAGE_H - 12.0, PAGE_W, 12.0, ACCENT);
    l.y = TOP - 6.0;
    l.text(LEFT, l.y, w.title, TITLE);
    l.y -= 9.0;
    l.paragraph(LEFT, RIGHT, w.subtitle, BODY);
    l.y -= 6.0;
    l.text(
        LEFT,
        l.y,
        &latest.year.to_string(),
        Style::new(34.0, true, ACCENT_LIGHT),
    );
    l.y -= 9.0;
    let years: Vec<String> = agg.years.iter().map(|y| y.year.to_string()).collect();
    let offices_in_latest = latest
        .definition_versions
        .iter()
        .map(|v| v.institutions.len())
        .sum::<usize>();
    let rows = [
        (w.years, years.join(", ")),
        (w.offices, format!("{}: {offices_in_latest}", latest.year)),
        (w.generated, format_date(input.generated_on, loc)),
    ];
    key_values(l, &rows, 50.0, BODY);
    l.rule(LEFT, RIGHT, l.y, 0.5, LIGHT);
    l.y -= 6.0;

    heading(l, &format!("{} {}", w.headline, latest.year));
    l.paragraph(LEFT, RIGHT, w.headline_note, SMALL);
    l.y -= 3.0;
    for code in HEADLINE_CODES {
        for f in latest.figures.iter().filter(|f| f.code == code) {
            headline_block(l, input, latest, f, w);
        }
    }
}

fn headline_block(
    l: &mut Layout,
    input: &NationalReportInput<'_>,
    year: &YearAggregate,
    f: &FigureTotal,
    w: &Words,
) {
    let loc = input.locale;
    let big = Style::new(15.0, true, BLACK);
    let mut lines: Vec<String> = Vec::new();
    if let Some(n) = &f.per_100m_research_expenditure {
        lines.push(format!(
            "{} {}",
            format_ratio(n.value, f.unit, loc),
            w.per_100m
        ));
    }
    if let Some(n) = &f.per_1000_research_fte {
        lines.push(format!(
            "{} {}",
            format_ratio(n.value, f.unit, loc),
            w.per_1000
        ));
    }
    let counted = f.institutions_counted.len();
    let all = counted + f.institutions_lacking.len();
    let lacking = if f.institutions_lacking.is_empty() {
        w.complete.to_owned()
    } else {
        format!(
            "{}: {}",
            w.lacking,
            names(input.aggregate, year.year, &f.institutions_lacking)
        )
    };
    let lacking_lines = l.wrap(&lacking, RIGHT - LEFT - 70.0, SMALL);
    let height = big.line_height()
        + BODY.line_height() * 2.0
        + SMALL.line_height() * (lines.len() + lacking_lines.len()) as f32
        + 4.0;
    l.ensure(height);
    let mut title = label(f, loc).to_owned();
    if year.mixed_definitions {
        title = format!("{title} ({})", f.definition_version);
    }
    l.text(LEFT, l.y, &title, BODY_BOLD);
    l.y -= big.line_height();
    let top = l.y;
    l.text(LEFT, top, &format_optional(f.total, f.unit, loc), big);
    l.text(
        LEFT,
        top - BODY.line_height(),
        &format!("{} · {counted}/{all} {}", w.national, w.of_offices),
        SMALL,
    );
    let mut y = top;
    for line in &lines {
        l.text(LEFT + 70.0, y, line, SMALL_BLACK);
        y -= SMALL.line_height();
    }
    for line in &lacking_lines {
        l.text(LEFT + 70.0, y, line, SMALL);
        y -= SMALL.line_height();
    }
    l.y = y.min(top - BODY.line_height()) - 3.0;
    l.rule(LEFT, RIGHT, l.y + 1.5, 0.25, LIGHT);
    l.y -= 2.0;
}

fn trends(l: &mut Layout, input: &NationalReportInput<'_>, w: &Words) {
    let agg = input.aggregate;
    let loc = input.locale;
    heading(l, w.trends);
    l.text(LEFT, l.y, w.trend_note, SMALL);
    l.y -= SMALL.line_height() + 2.0;
    let latest_figures = agg
        .years
        .last()
        .map(|y| y.figures.as_slice())
        .unwrap_or_default();
    let charted: Vec<&FigureTotal> = HEADLINE_CODES
        .iter()
        .filter_map(|c| latest_figures.iter().find(|f| f.code == *c))
        .collect();
    const PANEL_W: f32 = 80.0;
    const PANEL_H: f32 = 58.0;
    const GAP: f32 = 10.0;
    for row in charted.chunks(2) {
        l.ensure(PANEL_H + 4.0);
        let top = l.y;
        for (i, f) in row.iter().enumerate() {
            let x = LEFT + i as f32 * (PANEL_W + GAP);
            let trend = agg
                .trends
                .iter()
                .find(|t| t.code == f.code && t.definition_version == f.definition_version);
            let skip = trend.map_or(0, |t| t.points.len().saturating_sub(6));
            let series: Vec<(i32, Option<i64>)> = trend
                .map(|t| t.points[skip..].iter().map(|p| (p.year, p.total)).collect())
                .unwrap_or_default();
            let figure = FigureOut {
                code: f.code.clone(),
                label: label(f, loc).to_owned(),
                unit: f.unit,
                value: f.total,
                not_available_reason: None,
                breakdowns: Vec::new(),
            };
            bar_panel(l, x, top, PANEL_W, PANEL_H, &figure, &series, loc);
        }
        l.y = top - PANEL_H - 6.0;
    }
}

fn all_indicators(
    l: &mut Layout,
    input: &NationalReportInput<'_>,
    year: &YearAggregate,
    w: &Words,
) {
    let loc = input.locale;
    let title = format!("{} {}", w.all, year.year);
    heading(l, &title);
    let label_w = 72.0;
    let total_right = LEFT + 112.0;
    let per_right = LEFT + 146.0;
    let fte_right = RIGHT - 1.5;
    let columns = [
        (LEFT + 1.5, w.indicator, false),
        (total_right, w.total, true),
        (per_right, "/ €100 mln", true),
        (fte_right, "/ 1.000 fte", true),
    ];
    table_header(l, &columns);
    for f in &year.figures {
        let mut text = label(f, loc).to_owned();
        if year.mixed_definitions {
            text = format!("{text} ({})", f.definition_version);
        }
        let lines = l.wrap(&text, label_w, BODY);
        let counted = f.institutions_counted.len();
        let all = counted + f.institutions_lacking.len();
        let note = format!("{counted}/{all} {}", w.of_offices);
        let h = BODY.line_height() * lines.len() as f32 + SMALL.line_height() + 1.5;
        if l.ensure(h) {
            heading(l, &format!("{title} {}", w.continued));
            table_header(l, &columns);
        }
        let top = l.y;
        let style = if f.total.is_some() {
            BODY
        } else {
            Style::new(9.5, false, GREY)
        };
        l.text_right(
            total_right,
            top,
            &format_optional(f.total, f.unit, loc),
            style,
        );
        if let Some(n) = &f.per_100m_research_expenditure {
            l.text_right(per_right, top, &format_ratio(n.value, f.unit, loc), BODY);
        }
        if let Some(n) = &f.per_1000_research_fte {
            l.text_right(fte_right, top, &format_ratio(n.value, f.unit, loc), BODY);
        }
        for line in &lines {
            l.text(LEFT + 1.5, l.y, line, BODY);
            l.y -= BODY.line_height();
        }
        l.text(LEFT + 1.5, l.y, &note, SMALL);
        l.y -= SMALL.line_height();
        l.rule(LEFT, RIGHT, l.y + BODY.line_height() * 0.55, 0.25, LIGHT);
        l.y -= 1.3;
    }
}

fn per_office(l: &mut Layout, input: &NationalReportInput<'_>, year: &YearAggregate, w: &Words) {
    let loc = input.locale;
    let agg = input.aggregate;
    let codes: Vec<&FigureTotal> = ["ID", "PA-PRIO", "LOA", "SO", "LI"]
        .iter()
        .filter_map(|c| year.figures.iter().find(|f| f.code == *c))
        .collect();
    if codes.is_empty() {
        return;
    }
    l.new_page();
    let title = format!("{} {}", w.per_office, year.year);
    heading(l, &title);
    let name_w = 62.0;
    let col_w = (RIGHT - LEFT - name_w) / codes.len() as f32;
    let rights: Vec<f32> = (0..codes.len())
        .map(|i| LEFT + name_w + col_w * (i as f32 + 1.0) - 1.5)
        .collect();
    let head_style = Style::new(7.0, true, GREY);
    let draw_header = |l: &mut Layout| {
        let mut lines_max = 1;
        let wrapped: Vec<Vec<String>> = codes
            .iter()
            .map(|f| l.wrap(label(f, loc), col_w - 3.0, head_style))
            .collect();
        for wl in &wrapped {
            lines_max = lines_max.max(wl.len().min(3));
        }
        l.text(LEFT + 1.5, l.y, w.office, head_style);
        for (i, wl) in wrapped.iter().enumerate() {
            for (j, line) in wl.iter().take(3).enumerate() {
                l.text_right(
                    rights[i],
                    l.y - j as f32 * head_style.line_height(),
                    line,
                    head_style,
                );
            }
        }
        l.y -= head_style.line_height() * lines_max as f32 + 1.0;
        l.rule(LEFT, RIGHT, l.y + 2.0, 0.5, GREY);
        l.y -= 2.0;
    };
    draw_header(l);
    let offices: Vec<&crate::national::aggregate::IncludedSubmission> = agg
        .submissions
        .iter()
        .filter(|s| s.year == year.year)
        .collect();
    for s in offices {
        let name = l.truncate(&s.institution_name, name_w - 3.0, SMALL_BLACK);
        if l.ensure(SMALL.line_height() + 1.0) {
            heading(l, &format!("{title} {}", w.continued));
            draw_header(l);
        }
        l.text(LEFT + 1.5, l.y, &name, SMALL_BLACK);
        for (i, f) in codes.iter().enumerate() {
            let value = f
                .offices
                .iter()
                .find(|o| o.institution_id == s.institution_id)
                .map(|o| o.value);
            let text = match value {
                Some(Some(v)) => super::format_compact(v, f.unit, loc),
                Some(None) => super::short_na(loc).to_owned(),
                None => "–".to_owned(),
            };
            l.text_right(rights[i], l.y, &text, SMALL_BLACK);
        }
        l.y -= SMALL.line_height() + 0.6;
    }
}

fn versions_and_submissions(l: &mut Layout, input: &NationalReportInput<'_>, w: &Words) {
    let agg = input.aggregate;
    heading(l, w.versions);
    for y in &agg.years {
        let text = y
            .definition_versions
            .iter()
            .map(|v| {
                format!(
                    "{} ({} {})",
                    v.definition_version,
                    v.institutions.len(),
                    w.of_offices
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let note = if y.mixed_definitions {
            w.mixed
        } else {
            w.single
        };
        key_values(
            l,
            &[(&y.year.to_string(), format!("{text}. {note}"))],
            20.0,
            BODY,
        );
    }
    heading(l, w.signature);
    match (&input.aggregate_sha256, &input.key_id) {
        (Some(hash), Some(key)) => {
            key_values(
                l,
                &[(w.key_id, key.clone()), (w.file_hash, group_hex(hash))],
                55.0,
                SMALL_BLACK,
            );
        }
        _ => {
            l.text(LEFT, l.y, w.unsigned, BODY_BOLD);
            l.y -= BODY.line_height();
        }
    }
    heading(l, w.submissions);
    for s in &agg.submissions {
        let row = format!(
            "{} {} · {} · {}",
            s.institution_name, s.year, s.definition_version, s.sha256
        );
        for line in l.wrap(&row, RIGHT - LEFT, Style::new(7.0, false, BLACK)) {
            l.ensure(SMALL.line_height());
            l.text(LEFT, l.y, &line, Style::new(7.0, false, BLACK));
            l.y -= Style::new(7.0, false, BLACK).line_height();
        }
    }
}
