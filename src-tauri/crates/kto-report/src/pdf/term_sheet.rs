//! A spin-off term sheet as a PDF: a title block, then sections of label/value rows.
//!
//! The caller phrases every text in the reader's language (this crate knows nothing of
//! deal terms); the page layout, fonts and footer are the monitor report's.

use super::layout::{Layout, Style, ACCENT, BLACK, LEFT, LIGHT, PAGE_H, PAGE_W, RIGHT};
use super::{heading, key_values, BODY, SMALL};
use crate::error::Result;
use chrono::NaiveDate;

/// One titled block of label/value rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetSection {
    /// Section heading.
    pub heading: String,
    /// Label and value per row, in order.
    pub rows: Vec<(String, String)>,
}

/// Everything printed on a term sheet, already phrased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermSheetInput {
    /// Document title, e.g. "Term sheet".
    pub title: String,
    /// The company, e.g. "Qubit BV".
    pub company: String,
    /// A line under the company, e.g. "Generated on 07-03-2026 · not binding".
    pub subtitle: String,
    /// The sections.
    pub sections: Vec<SheetSection>,
    /// A closing paragraph (e.g. that the sheet is non-binding), may be empty.
    pub closing: String,
    /// Footer text on every page.
    pub footer: String,
    /// Word for "page" and for "of" in the page numbers.
    pub page_words: (String, String),
    /// Date set as the PDF's creation date (not read from the clock).
    pub generated_on: NaiveDate,
}

/// Renders the term sheet and returns the PDF bytes.
///
/// # Errors
/// [`crate::Error::Font`] if a bundled font cannot be parsed.
pub fn render_term_sheet(input: &TermSheetInput) -> Result<Vec<u8>> {
    let title = format!("{} – {}", input.title, input.company);
    let mut l = Layout::new(&title, input.generated_on)?;
    l.info().subject = input.title.clone();
    l.info().creator = "KTO Desk".to_owned();
    l.fill_rect(0.0, PAGE_H - 8.0, PAGE_W, 8.0, ACCENT);
    l.y -= 4.0;
    l.text(LEFT, l.y, &input.title, Style::new(20.0, true, ACCENT));
    l.y -= 10.0;
    let company = Style::new(14.0, true, BLACK);
    for line in l.wrap(&input.company, RIGHT - LEFT, company) {
        l.text(LEFT, l.y, &line, company);
        l.y -= company.line_height();
    }
    l.text(LEFT, l.y, &input.subtitle, SMALL);
    l.y -= 4.0;
    l.rule(LEFT, RIGHT, l.y, 0.5, LIGHT);
    l.y -= 4.0;
    for section in &input.sections {
        heading(&mut l, &section.heading);
        let rows: Vec<(&str, String)> = section
            .rows
            .iter()
            .map(|(label, value)| (label.as_str(), value.clone()))
            .collect();
        key_values(&mut l, &rows, 62.0, BODY);
    }
    if !input.closing.is_empty() {
        l.y -= 4.0;
        for line in l.wrap(&input.closing, RIGHT - LEFT, SMALL) {
            l.ensure(SMALL.line_height());
            l.text(LEFT, l.y, &line, SMALL);
            l.y -= SMALL.line_height();
        }
    }
    let (page, of) = &input.page_words;
    l.finish(&input.footer, |n, total| format!("{page} {n} {of} {total}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_term_sheet_renders_to_a_pdf_with_its_texts() {
        let input = TermSheetInput {
            title: "Term sheet".into(),
            company: "Qubit BV".into(),
            subtitle: "Generated on 07-03-2026".into(),
            sections: vec![SheetSection {
                heading: "Equity".into(),
                rows: vec![("University equity".into(), "8 %".into())],
            }],
            closing: "Non-binding summary.".into(),
            footer: "KTO Desk".into(),
            page_words: ("Page".into(), "of".into()),
            generated_on: NaiveDate::from_ymd_opt(2026, 3, 7).unwrap(),
        };
        let pdf = render_term_sheet(&input).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        assert!(pdf.len() > 1_000);
    }
}
